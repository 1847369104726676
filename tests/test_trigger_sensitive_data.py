from __future__ import annotations

import pytest
from conftest import fired


@pytest.mark.parametrize('path', [
    pytest.param('src/app/payments/refund.py', id='payments'),
    pytest.param('src/app/PatientRecord.java', id='patient_camel'),
    pytest.param('src/app/invoice_pdf.py', id='invoice'),
    pytest.param('src/app/gdpr_export.py', id='gdpr'),
])
def test_path_words_fire(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert path in fired(cli).get('sensitive-data')['files']


@pytest.mark.parametrize(('line', 'word'), [
    pytest.param('user.ssn = form.ssn', 'ssn', id='ssn'),
    pytest.param('dateOfBirth: Date', 'date of birth', id='camel_dob'),
    pytest.param('social_security_number = None', 'social security number', id='snake_ssn'),
    pytest.param('iban = account.iban', 'iban', id='iban'),
    pytest.param('CREDIT_CARD_NUMBER = "x"', 'credit card number', id='upper_snake'),
])
def test_identifiers_fire(committed, cli, line, word):
    committed.stage('src/app/models.py', line + '\n')
    found = fired(cli).get('sensitive-data')
    assert found['details'][0]['why'] == f'added line 1: {word}'


@pytest.mark.parametrize('line', [
    pytest.param('lesson = 1', id='substring_ssn_noop'),
    pytest.param('birthday_party = True', id='birthday_noop'),
    pytest.param('salutation = "hi"', id='salutation_noop'),
])
def test_unrelated_identifiers_noop(committed, cli, line):
    committed.stage('src/app/models.py', line + '\n')
    assert fired(cli).get('sensitive-data') is None


def test_can_be_disabled(committed, cli):
    committed.write('.review-trigger.yaml', 'triggers:\n  sensitive-data:\n    enabled: false\n')
    committed.stage('src/app/models.py', 'ssn = 1\n')
    assert fired(cli).get('sensitive-data') is None
