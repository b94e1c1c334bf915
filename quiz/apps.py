from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Stemtest"

    def ready(self) -> None:
        from quiz import signals

        signals.connect()
