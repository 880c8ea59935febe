"""People and organisations: who someone is, where they work and what they may do there."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models

from supportpath.core.choices import choice_display
from supportpath.core.encryption import EncryptedTextField, lookup_hash


class OrganisationKind(models.TextChoices):
    REGIONAL_PSU = "regional_psu", "Regional professional support unit"
    ACUTE_TRUST = "acute_trust", "Acute trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    COMMUNITY_TRUST = "community_trust", "Community trust"
    OTHER_EMPLOYER = "other_employer", "Other employer of doctors"
    INDEPENDENT = "independent", "Independent support organisation"


# The kinds of organisation that run a support service (the others employ the doctors they serve).
SUPPORT_SERVICE_KINDS = (OrganisationKind.REGIONAL_PSU, OrganisationKind.INDEPENDENT)


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{3,10}$", "Enter an ODS code in capital letters and numbers")],
    )
    # The service that supports this organisation's doctors (a Trust is served by its region's PSU).
    # Empty for an organisation that runs its own support service.
    support_service = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="served_organisations"
    )

    class Meta:
        ordering = ["name"]

    get_kind_display = choice_display("kind")  # a service's list shows each organisation's type

    def __str__(self) -> str:
        return self.name

    @property
    def runs_support_service(self) -> bool:
        return self.kind in SUPPORT_SERVICE_KINDS

    @property
    def serving_service(self) -> "Organisation":
        return self.support_service or self


ERASED_NAME = "Record erased"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, *, password_hash: str = "", **extra):
        """``password_hash``: a password hashed already (the fictional demo hashes its one password once for all
        its people, since Argon2 is slow on purpose); otherwise ``password`` is hashed, or None gives an account
        with no usable password."""
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """Anyone who signs in. What they may do comes from their memberships, never from this row."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)

    # Bumped by "sign out everywhere": every session made before then stops being valid.
    session_generation = models.PositiveIntegerField(default=0)
    # Set when the doctor's record was erased and the account closed (supportpath.records.erasure): the row is
    # kept only as an anonymous tombstone the access log points at. It can never sign in again.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    # A member of staff's work phone, which the doctors they work with see with their work email
    # (supportpath.messaging). Never a personal number: staff set it themselves.
    work_phone = models.CharField(max_length=20, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def display_name(self) -> str:
        """The name staff pages show: an erased account has none left, and says so."""
        return ERASED_NAME if self.is_erased else self.full_name

    def get_session_auth_hash(self) -> str:
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "supportpath.accounts.User.session", f"{self.password}:{self.session_generation}", algorithm="sha256"
        ).hexdigest()


class Role(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    REFERRER = "referrer", "Referrer"
    CASE_MANAGER = "case_manager", "Case manager"
    FACILITATOR = "facilitator", "Facilitator"
    RESPONSIBLE_OFFICER = "responsible_officer", "Responsible officer"
    SERVICE_ADMIN = "service_admin", "Service admin"
    EVALUATOR = "evaluator", "Evaluator"
    # A practice manager or partner, a medical director or a trust's well-being lead: their organisation's own
    # checks (a GP practice's peer-support check), never anyone's record.
    ORGANISATION_LEAD = "organisation_lead", "Organisation lead"


STAFF_ROLES = frozenset(Role) - {Role.DOCTOR}


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    # For referrers: what kind of referrer they are (supervisor, appraiser ...), shown to the doctor.
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role")]
        # An organisation's people in a role (its referrers, officers, leads) without reading every doctor it employs.
        indexes = [models.Index(fields=["organisation", "role"], name="membership_organisation_role")]

    get_role_display = choice_display("role")  # the staff page shows each member's role twice

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"


class CareerStage(models.TextChoices):
    FOUNDATION = "foundation", "Foundation doctor"
    SPECIALTY_TRAINEE = "specialty_trainee", "Specialty or GP trainee"
    SAS = "sas", "Specialty and specialist (SAS) doctor"
    LOCALLY_EMPLOYED = "locally_employed", "Locally employed doctor"
    CONSULTANT = "consultant", "Consultant"
    GP = "gp", "General practitioner"
    OTHER = "other", "Other"


class ContractType(models.TextChoices):
    RESIDENT = "resident", "Resident doctor (in training)"
    SAS = "sas", "SAS"
    LOCALLY_EMPLOYED = "locally_employed", "Locally employed"
    CONSULTANT = "consultant", "Consultant"
    GP = "gp", "GP"
    LOCUM = "locum", "Locum"


class QualificationRegion(models.TextChoices):
    UK = "uk", "United Kingdom"
    EEA = "eea", "European Economic Area"
    INTERNATIONAL = "international", "Elsewhere (international medical graduate)"


gmc_number_validator = RegexValidator(r"^\d{7}$", "Enter a GMC reference number of 7 digits, like 1234567")


class DoctorProfileQuerySet(models.QuerySet):
    def with_gmc_number(self, gmc_number: str) -> "DoctorProfileQuerySet":
        return self.filter(gmc_number_hash=lookup_hash(gmc_number))

    def with_gmc_numbers(self, gmc_numbers) -> "DoctorProfileQuerySet":
        return self.filter(gmc_number_hash__in=[lookup_hash(n) for n in gmc_numbers])


class DoctorProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="doctor_profile")
    # Stored encrypted; found only through its keyed hash (``DoctorProfile.objects.with_gmc_number``).
    gmc_number = EncryptedTextField("GMC reference number", validators=[gmc_number_validator])
    gmc_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    career_stage = models.CharField(max_length=32, choices=CareerStage.choices, blank=True)
    contract_type = models.CharField(max_length=32, choices=ContractType.choices, blank=True)
    specialty = models.CharField(max_length=120, blank=True)
    qualification_region = models.CharField(
        "primary medical qualification", max_length=32, choices=QualificationRegion.choices, blank=True
    )
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="employed_doctors"
    )
    phone = EncryptedTextField(blank=True)
    # When the doctor would like to be contacted ("weekday evenings after 6pm"), set on Your account and shown
    # to their case manager and facilitator with the phone number (supportpath.messaging.access).
    preferred_contact_times = EncryptedTextField("preferred times to be contacted", blank=True)

    objects = DoctorProfileQuerySet.as_manager()
    # Hash field -> the field it is computed from; `rotate_encryption_keys` recomputes them.
    lookup_hashes = {"gmc_number_hash": "gmc_number"}

    def __str__(self) -> str:
        return f"{self.user.full_name} (GMC {self.gmc_number})"

    def save(self, *args, **kwargs):
        self.gmc_number_hash = lookup_hash(self.gmc_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "gmc_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "gmc_number_hash"}
        super().save(*args, **kwargs)


PREFER_NOT_TO_SAY = "prefer_not_to_say"


class EqualityMonitoring(models.Model):
    """Optional equality answers, kept apart from the profile and never shown on a case.

    Used only, in aggregate and disclosure-controlled, to monitor equity of access.
    """

    doctor = models.OneToOneField(DoctorProfile, on_delete=models.CASCADE, related_name="equality")
    age_band = models.CharField(max_length=32, default=PREFER_NOT_TO_SAY)
    gender = models.CharField(max_length=32, default=PREFER_NOT_TO_SAY)
    ethnic_group = models.CharField(max_length=64, default=PREFER_NOT_TO_SAY)
    disability = models.CharField(max_length=32, default=PREFER_NOT_TO_SAY)
    recorded_at = models.DateTimeField(auto_now=True)


class RegistrationEmail(models.TextChoices):
    LINK = "link", "A link to finish"
    ACCOUNT_EXISTS = "account_exists", "The address already has an account"
    GMC_NUMBER_HELD = "gmc_number_held", "The GMC number already belongs to an account"


class PendingRegistration(models.Model):
    """What a doctor typed on "Create an account", kept until they follow the link we email them.

    Nothing here is an account: the account (and its doctor profile) is made only from the emailed link, so
    an address nobody has proved they own never holds an account or a GMC number. Rows are deleted when the
    account is made and once the link has expired.
    """

    email = models.EmailField(db_index=True)
    full_name = models.CharField(max_length=150)
    # Stored encrypted like the profile's; never looked up by (the profile's keyed hash is checked instead).
    gmc_number = EncryptedTextField()
    career_stage = models.CharField(max_length=32, choices=CareerStage.choices)
    contract_type = models.CharField(max_length=32, choices=ContractType.choices)
    specialty = models.CharField(max_length=120, blank=True)
    qualification_region = models.CharField(max_length=32, choices=QualificationRegion.choices)
    employer = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Where to go once the account is made (e.g. back into asking for support); checked safe when stored.
    next_url = models.CharField(max_length=500, blank=True)
    # From the form, so that a double submission makes one row (and one email). With the address: going back
    # to correct a mistyped address sends the form again with the same token, and that must count as new.
    submission_token = models.UUIDField()
    # Which email the background task sent (empty until it has run). Only a row whose email carried a link
    # can be finished; the others keep no more than the address until they expire.
    emailed = models.CharField(max_length=32, choices=RegistrationEmail.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission_token", "email"], name="one_pending_registration_per_form")
        ]

    def __str__(self) -> str:
        return f"Pending registration {self.pk}"


class AccountEmailKind(models.TextChoices):
    PASSWORD_RESET = "password_reset", "Password reset"
    REGISTRATION = "registration", "Finishing a new account"


class AccountEmailRequest(models.Model):
    """One account email we agreed to send, for the hourly limits (``accounts.throttle``).

    The email and network addresses are kept only as keyed hashes: the table must not become a list of who
    has asked about an account. Rows older than a day are deleted as new ones arrive.
    """

    kind = models.CharField(max_length=32, choices=AccountEmailKind.choices)
    address_hash = models.CharField(max_length=64)
    network_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "address_hash", "created_at"], name="account_email_by_address"),
            models.Index(fields=["kind", "network_hash", "created_at"], name="account_email_by_network"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at}"
