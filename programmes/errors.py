class ActionRefused(Exception):
    """An action that cannot be done, with the reason in words the user reads."""
