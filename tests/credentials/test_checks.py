from credentials.checks import check_signing_key_path


def test_a_key_inside_the_code_is_warned_about(settings):
    settings.CREDENTIALS_SIGNING_KEY_PATH = str(settings.BASE_DIR / "var" / "key.pem")

    assert [warning.id for warning in check_signing_key_path()] == ["credentials.W001"]


def test_a_key_outside_the_code_is_fine(settings, tmp_path):
    settings.CREDENTIALS_SIGNING_KEY_PATH = str(tmp_path / "key.pem")

    assert check_signing_key_path() == []
