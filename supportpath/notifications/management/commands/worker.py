from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from supportpath.notifications.worker import SupervisedWorker


class Command(DatabaseWorkerCommand):
    help = (
        "Run a background worker: email and the daily jobs. It reconnects after a database fault, says it is "
        "alive every TASK_WORKER_HEARTBEAT_SECONDS, and queues again any task a lost worker left running. Run it "
        "under a supervisor that starts it again if it stops (README, operations). Takes db_worker's options."
    )

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options) -> None:  # fmt: skip
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        if reload and verbosity:
            self.stdout.write("(--reload is not offered by this worker: restart it after changing code)")
        worker = SupervisedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
