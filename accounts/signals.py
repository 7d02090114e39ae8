"""What accounts tell the apps above them, which accounts does not import."""

from django.dispatch import Signal

# Sent with ``user`` after a new password is saved, however it was set: allauth's change and
# reset pages, the admin, `manage.py changepassword` or the shell. Not for a stored hash that
# Django merely upgrades while checking a password: that is the same password.
password_changed = Signal()

# Sent with ``user``, ``old_role`` and ``new_role`` before accounts.roles.change_role saves a
# new role. A receiver refuses the change by raising django.core.exceptions.ValidationError.
role_changing = Signal()
