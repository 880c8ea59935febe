"""Peer support in "Download my data": the doctor's offer and profile as a peer supporter, their requests for
a peer supporter and the matches (the other doctor's name only where both said yes), and their groups."""

from supportpath.accounts.models import DoctorProfile

from .models import GroupMember, PeerMatch, PeerRequest, PeerSupporter


def peer_support(doctor: DoctorProfile) -> dict:
    offers = [
        {
            "service": s.service.name,
            "status": s.get_status_display(),
            "experiences": s.experience_labels,
            "about_you": s.about,
            "how_often": s.get_how_often_display(),
            "doctors_at_once": s.most_at_once,
            "agreed_to_boundaries": s.boundaries_agreed_at,
            "preparation_done": s.preparation_done_on,
            "offered": s.offered_at,
        }
        for s in PeerSupporter.objects.filter(doctor=doctor).select_related("service")
    ]
    requests = [
        {
            "service": r.service.name,
            "asked": r.asked_at,
            "experiences": r.experience_labels,
            "what_you_chose_to_tell": r.to_tell,
            "a_supporter_from_your_employer_is_fine": r.same_employer_ok,
            "status": r.get_status_display(),
        }
        for r in PeerRequest.objects.filter(doctor=doctor).select_related("service")
    ]
    matches = []
    for m in PeerMatch.objects.filter(request__doctor=doctor).select_related("supporter__doctor__user"):
        matches.append(
            {
                "role": "You asked",
                "peer_supporter": m.supporter.doctor.user.full_name if m.both_agreed else "Not shown",
                "your_answer": m.get_doctor_answer_display(),
                "their_answer": m.get_supporter_answer_display(),
                "ended": m.ended_at,
            }
        )
    for m in PeerMatch.objects.filter(supporter__doctor=doctor).select_related("request__doctor__user"):
        matches.append(
            {
                "role": "You were the peer supporter",
                "doctor": m.request.doctor.user.full_name if m.both_agreed else "Not shown",
                "your_answer": m.get_supporter_answer_display(),
                "their_answer": m.get_doctor_answer_display(),
                "ended": m.ended_at,
            }
        )
    groups = [
        {
            "group": g.group.name,
            "status": g.get_status_display(),
            "first_name_shared_with_members": g.share_first_name,
            "meetings_you_came_to": [a.meeting.held_on for a in g.attendance.all()],
        }
        for g in GroupMember.objects.filter(doctor=doctor)
        .select_related("group")
        .prefetch_related("attendance__meeting")
    ]
    return {"peer_supporter": offers, "requests": requests, "matches": matches, "groups": groups}
