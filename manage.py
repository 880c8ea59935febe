#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # The process default is the safe one; the Quick start and the tests choose theirs explicitly.
    env = os.environ.get("DJANGO_ENV", "production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"supportpath.settings.{env}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
