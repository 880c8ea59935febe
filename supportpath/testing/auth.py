"""Signing in, for tests. Always use these rather than ``client.force_login`` directly, so that when the
sign-in rules grow (second factor for staff), every test follows them from one place."""

from django.test import Client


def login_as(client: Client, user) -> Client:
    client.force_login(user)
    return client
