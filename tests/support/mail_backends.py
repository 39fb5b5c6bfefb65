"""A mail backend for tests: the mail server drops the connection on the first attempt.

It stands in for a real SMTP server having a bad moment; the second attempt is delivered to
Django's in-memory outbox like every other test email.
"""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FirstAttemptFails(EmailBackend):
    attempts = 0

    def send_messages(self, messages):
        FirstAttemptFails.attempts += 1
        if FirstAttemptFails.attempts == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
