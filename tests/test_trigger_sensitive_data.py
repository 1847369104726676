from __future__ import annotations

import pytest
from conftest import fired, fired_whys


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/app/payments/refund.py', id='payments'),
        pytest.param('src/app/PatientRecord.java', id='patient_camel'),
        pytest.param('src/app/invoice_pdf.py', id='invoice'),
        pytest.param('src/app/gdpr_export.py', id='gdpr'),
    ],
)
def test_path_words_fire(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert path in fired(cli).get('sensitive-data')['files']


@pytest.mark.parametrize(
    ('line', 'word'),
    [
        pytest.param('user.ssn = form.ssn', 'ssn', id='ssn'),
        pytest.param('dateOfBirth: Date', 'date of birth', id='camel_dob'),
        pytest.param('social_security_number = None', 'social security number', id='snake_ssn'),
        pytest.param('iban = account.iban', 'iban', id='iban'),
        pytest.param('CREDIT_CARD_NUMBER = "x"', 'credit card number', id='upper_snake'),
    ],
)
def test_identifiers_fire(committed, cli, line, word):
    committed.stage('src/app/models.py', line + '\n')
    found = fired(cli).get('sensitive-data')
    assert found['details'][0]['why'] == f'added line 1: {word}'


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('lesson = 1', id='substring_ssn_noop'),
        pytest.param('birthday_party = True', id='birthday_noop'),
        pytest.param('salutation = "hi"', id='salutation_noop'),
    ],
)
def test_unrelated_identifiers_noop(committed, cli, line):
    committed.stage('src/app/models.py', line + '\n')
    assert fired(cli).get('sensitive-data') is None


def test_can_be_disabled(committed, cli):
    committed.write('.review-trigger.yaml', 'triggers:\n  sensitive-data:\n    enabled: false\n')
    committed.stage('src/app/models.py', 'ssn = 1\n')
    assert fired(cli).get('sensitive-data') is None


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('app/models.py', '    email = models.EmailField(unique=True)', id='django_field'),
        pytest.param('internal/user/user.go', '\tPhone string `json:"phone"`', id='go_struct_tag'),
        pytest.param(
            'db/migrate/20260101_add_phone.rb',
            '    add_column :users, :phone_number, :string',
            id='rails_migration',
        ),
        pytest.param('db/migrate/20260102_people.rb', '      t.date :date_of_birth', id='rails_table'),
        pytest.param('src/schema.ts', '  billingAddress: z.string(),', id='zod_schema'),
        pytest.param('proto/user.proto', '  string email = 3;', id='protobuf'),
        pytest.param(
            'migrations/0002.sql',
            'ALTER TABLE users ADD COLUMN last_sign_in_ip inet;',
            id='ip_stored_per_user',
        ),
        pytest.param(
            'app/controllers/users_controller.rb',
            '    params.require(:user).permit(:email, :first_name)',
            id='strong_params',
        ),
        pytest.param('src/app/signup.py', 'logger.info("signup %s", user.email)', id='logged'),
    ],
)
def test_personal_data_fields_fire(committed, cli, path, line):
    committed.stage(path, line + '\n')
    found = fired(cli).get('sensitive-data')
    assert found is not None and found['files'] == [path]
    assert line.strip() not in found['details'][0]['why']


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('.github/workflows/release.yml', '      iban: ${{ secrets.X }}', id='ci_workflow_noop'),
        pytest.param('.claude/settings.json', '{"dob": true}', id='agent_config_noop'),
        pytest.param(
            'tests/cassettes/get_user.yaml',
            '      body: {string: "eyJ0eXAiOiJKV1QiCvVbicQ2xX7kLmN9Ssn"}',
            id='cassette_noop',
        ),
        pytest.param(
            'src/app/blob.py', 'DATA = "eyJhbGciOiJIUzI1NiJ9N9SsnZCvVbicQ2xX7kLm"', id='base64_run_noop'
        ),
        pytest.param(
            'src/app/routes.py', '@app.get("/healthz")\ndef health(): return "ok"', id='health_check_noop'
        ),
        pytest.param('internal/bind/bind_test.go', '\tEmail string `json:"email"`', id='test_struct_noop'),
        pytest.param('src/app/mail.py', 'def send_email(template):', id='email_function_noop'),
        pytest.param('src/app/config.py', 'listen_address: str = "0.0.0.0"', id='network_address_noop'),
    ],
)
def test_personal_data_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert fired(cli).get('sensitive-data') is None


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('src/accounts/general_ledger.py', id='general_ledger'),
        pytest.param('src/app/ledger.py', id='ledger_alone'),
    ],
)
def test_money_ledger_fires(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert path in fired(cli).get('sensitive-data')['files']


@pytest.mark.parametrize(
    'path',
    [
        pytest.param('hrms/hr/doctype/leave_ledger_entry/leave_ledger_entry.py', id='leave_ledger_noop'),
        pytest.param('erp/stock/stock_ledger.py', id='stock_ledger_noop'),
        pytest.param('review_trigger/review/ledger.py', id='review_ledger_noop'),
    ],
)
def test_ledger_of_something_else_noop(committed, cli, path):
    committed.stage(path, 'x = 1\n')
    assert fired(cli).get('sensitive-data') is None


CONTACT_MODEL = """<?php
class ContactInformation extends Model
{
    /**
     * @var array<string>
     */
    protected $fillable = [
        'contact_id',
    ];
}
"""


@pytest.mark.parametrize(
    ('old', 'new', 'fires'),
    [
        pytest.param('@var array<string>', '@var array<int,string>', False, id='docblock_only_noop'),
        pytest.param("'contact_id',", "'contact_id',\n        'value',", True, id='code_changed'),
    ],
)
def test_path_word_counts_for_code_not_comments(committed, cli, old, new, fires):
    path = 'app/Models/ContactInformation.php'
    committed.write(path, CONTACT_MODEL)
    committed.add()
    committed.commit('model')
    committed.stage(path, CONTACT_MODEL.replace(old, new))
    found = fired(cli).get('sensitive-data')
    assert (found is not None and found['files'] == [path]) is fires


SETUP = """SALARY_FIELDS = {"fieldname": "salary_slip", "label": "Salary Slip"}


def install():
    create_custom_fields(SALARY_FIELDS)


def pay(emp):
    log(emp.salary)
"""


@pytest.mark.parametrize(
    ('old', 'new'),
    [
        pytest.param(
            '"label": "Salary Slip"}', '"label": _("Salary Slip")}', id='wrapped_for_translation_noop'
        ),
        pytest.param(
            '    create_custom_fields(SALARY_FIELDS)',
            '    create_custom_fields(get_salary_fields())',
            id='renamed_noop',
        ),
        pytest.param('    log(emp.salary)', '        log(emp.salary)', id='reindented_noop'),
    ],
)
def test_reworded_line_naming_the_same_data_noop(committed, cli, old, new):
    committed.write('hr/setup.py', SETUP)
    committed.add()
    committed.commit('setup')
    assert old in SETUP
    committed.stage('hr/setup.py', SETUP.replace(old, new))
    assert fired(cli).get('sensitive-data') is None


@pytest.mark.parametrize(
    'new',
    [
        pytest.param('    requests.post(PAYROLL_URL, json={"amount": emp.salary})', id='now_sent'),
        pytest.param('    log(emp.salary)\n    export_csv(emp.name, emp.salary)', id='now_exported'),
    ],
)
def test_new_handling_of_the_same_data_fires(committed, cli, new):
    committed.write('hr/setup.py', SETUP)
    committed.add()
    committed.commit('setup')
    committed.stage('hr/setup.py', SETUP.replace('    log(emp.salary)', new))
    found = fired(cli).get('sensitive-data')
    assert found is not None and found['details'][0]['why'].endswith(': salary')


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('emp = make_employee("test_leave_allocation@salary.com")', id='email_domain_noop'),
        pytest.param('SOURCE = "https://www.salary.com/research/pay"', id='url_noop'),
        pytest.param('HOST = "api.income.example"', id='host_noop'),
    ],
)
def test_data_word_inside_an_address_noop(committed, cli, line):
    committed.stage('src/app/setup.py', line + '\n')
    assert fired(cli).get('sensitive-data') is None


def test_data_word_beside_an_address_fires(committed, cli):
    committed.stage('src/app/setup.py', 'send("hr@salary.com", emp.salary)\n')
    found = fired(cli).get('sensitive-data')
    assert found is not None and found['details'][0]['why'] == 'added line 1: salary'


@pytest.mark.parametrize(
    'line',
    [
        pytest.param("            'postal_code' => $parts[5],", id='php_array'),
        pytest.param('        "email": user.email,', id='python_payload'),
    ],
)
def test_personal_data_key_given_a_value_fires(committed, cli, line):
    committed.stage('app/Services/ExportContact.php', line + '\n')
    found = fired(cli).get('sensitive-data')
    assert found is not None
    assert found['details'][0]['why'] == 'added line 1: personal-data key in a record or payload'


@pytest.mark.parametrize(
    'line',
    [
        pytest.param("        'email' => 'required|email',", id='validation_rule_noop'),
        pytest.param('    "email": "Email address",', id='label_noop'),
        pytest.param('    "phone": null,', id='null_noop'),
    ],
)
def test_personal_data_key_given_a_literal_noop(committed, cli, line):
    committed.stage('app/Http/Requests/ContactRequest.php', line + '\n')
    assert fired(cli).get('sensitive-data') is None


def test_changed_access_to_the_same_data_fires(committed, cli):
    # How a value is read changed, not only the wrapping: still a change
    # to the code that stores the address.
    path = 'app/Dav/ImportAddress.php'
    committed.write(path, "        'postal_code' => $parts[5],\n")
    committed.add()
    committed.commit('import')
    committed.stage(path, "        'postal_code' => Arr::get($parts, 5),\n")
    found = fired(cli).get('sensitive-data')
    assert found is not None and found['files'] == [path]


# -- personal-data fields selected, shown or saved (real-commit classes) ---------


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param(
            'hrms/utils/__init__.py',
            'emails = frappe.db.get_value("Employee", e, ["user_id", "personal_email"], as_dict=True)',
            id='query_selection',
        ),
        pytest.param(
            'hrms/utils/__init__.py',
            '\t\t["prefered_email", "user_id", "company_email"],',
            id='argument_list_line',
        ),
        pytest.param('hrms/notify.py', '    pluck="personal_email",', id='pluck'),
        pytest.param('app/exports.py', 'write_csv(rows, ["name", "email", "phone"])', id='export_columns'),
        pytest.param('lib/devise/orm.rb', '        unconfirmed_email_will_change!', id='orm_dirty_tracking'),
        pytest.param(
            'lib/devise/orm.rb',
            '        changed_attributes["unconfirmed_email"] = nil',
            id='orm_changed_attributes',
        ),
        pytest.param('app/models/user.rb', 'User.select(:email, :created_at)', id='select_symbols'),
    ],
)
def test_personal_data_fields_selected_or_saved_fire(committed, cli, path, line):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert whys == ['added line 1: personal-data fields selected or saved'], whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('app/ui.py', 'labels = ["Email", "Phone"]', id='display_labels_noop'),
        pytest.param(
            'config/scout.php',
            "'sortableAttributes' => ['updated_at', 'first_name', 'last_name'],",
            id='config_value_list_noop',
        ),
        pytest.param('app/tasks.py', 'run(["build", "deploy"])', id='other_names_noop'),
        pytest.param('app/search.php', "->orderBy('first_name')", id='order_by_noop'),
        pytest.param('tests/test_users.py', 'get(u, ["user_id", "personal_email"])', id='in_a_test_noop'),
    ],
)
def test_personal_data_fields_selected_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'sensitive-data' not in fired(cli)


def test_plural_contact_addresses_path_word_fires(committed, cli):
    path = 'app/Domains/Contact/ManageContactAddresses/Web/Controllers/AddressController.php'
    committed.stage(path, '<?php\n$x = 1;\n')
    assert fired(cli)['sensitive-data']['files'] == [path]


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('schema.graphql', 'type User { email: String! }', id='graphql_type_field'),
        pytest.param('api/schema.graphql', '  phone: PhoneNumber', id='graphql_field_line'),
        pytest.param(
            'app/models.py', '    last_sign_in_ip = models.GenericIPAddressField()', id='ip_model_field'
        ),
    ],
)
def test_schema_and_model_fields_fire(committed, cli, path, line):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert whys == ['added line 1: personal-data field in a model, struct or schema'], whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('schema.graphql', 'type Build { status: String! }', id='graphql_other_field_noop'),
        pytest.param('app/models.py', '    server_ip = "10.0.0.1"', id='server_address_noop'),
    ],
)
def test_schema_and_model_field_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'sensitive-data' not in fired(cli)


# -- round four: personal data passed on, transformed, exported ------------------


@pytest.mark.parametrize(
    ('path', 'line', 'why'),
    [
        pytest.param(
            'src/oscar/apps/dashboard/orders/views.py',
            "            row['shipping_address_name'] = order.shipping_address.name",
            'personal-data key in a record or payload',
            id='subscript_key',
        ),
        pytest.param(
            'app/Services/SyncContact.php',
            '        $payload["email"] = $contact->email;',
            'personal-data key in a record or payload',
            id='php_subscript_key',
        ),
        pytest.param(
            'packages/lib/server-only/user/submit-support-ticket.ts',
            '      fullName: user.name || user.email,',
            'personal-data key in a record or payload',
            id='unquoted_key_given_an_attribute',
        ),
        pytest.param(
            'src/oscar/apps/analytics/reports.py',
            '                record.user.email,',
            "a record's personal data passed on",
            id='element_of_a_row',
        ),
        pytest.param(
            'src/oscar/apps/dashboard/orders/views.py',
            "        row = {'number': order.number, 'customer': order.email,",
            "a record's personal data passed on",
            id='value_of_a_row_key',
        ),
        pytest.param(
            'src/oscar/apps/address/abstract_models.py',
            "    search_fields = ['first_name', 'last_name', 'line1', 'postcode']",
            'personal-data fields selected or saved',
            id='named_field_list',
        ),
        pytest.param(
            'identity/validator.go',
            '\tif err := v.normalizePhoneTraits(ctx, i, s.URL.String()); err != nil {',
            'personal data masked or normalised',
            id='phone_normalised',
        ),
        pytest.param(
            'src/lib/privacy.ts',
            'const shown = maskEmail(user.email);',
            'personal data masked or normalised',
            id='masked',
        ),
        pytest.param(
            'analytics/store.py',
            'visit.ip = anonymize_ip(request.remote_addr)',
            'personal data masked or normalised',
            id='ip',
        ),
        pytest.param(
            'packages/Webkul/Admin/src/Resources/views/contacts/persons/index.blade.php',
            """                <x-admin::datagrid.export :src="route('admin.contacts.persons.index')" />""",
            'a list of people exported',
            id='people_list_export',
        ),
        pytest.param(
            'app/views.py',
            'def export_customers_csv(request):',
            'a list of people exported',
            id='export_customers',
        ),
    ],
)
def test_personal_data_handed_on_fires(committed, cli, path, line, why):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert any(why in w for w in whys), whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('src/mail.ts', '  email: DEFAULT_EMAIL,', id='unquoted_key_given_a_constant_noop'),
        pytest.param('app/models.py', "        ordering = ['last_name', 'first_name']", id='ordering_noop'),
        pytest.param('app/forms.py', "        row['email'] = ''", id='subscript_literal_noop'),
        pytest.param(
            'src/users.ts', 'export const users = await listUsers();', id='js_export_statement_noop'
        ),
        pytest.param('src/index.js', 'module.exports = { users, contacts };', id='module_exports_noop'),
        pytest.param('src/index.ts', "import { exportUsers } from './export';", id='import_line_noop'),
        pytest.param('src/reports.py', '# export the users table nightly', id='comment_noop'),
        pytest.param('src/app/auth.py', 'digest = hash(password)', id='hash_of_a_password_noop'),
        pytest.param('src/records.ts', '  id: user.id,', id='other_attribute_noop'),
        pytest.param('tests/test_export.py', '    export_users(qs)', id='in_a_test_noop'),
    ],
)
def test_personal_data_handed_on_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'sensitive-data' not in fired(cli)


@pytest.mark.parametrize(
    'line',
    [
        pytest.param('console.log(`user ${user.email} signed up`);', id='interpolated'),
        pytest.param('logger.info(`reset for ${ req.user?.email }`)', id='interpolated_optional_chain'),
        pytest.param('console.log(`signed up`, user.email);', id='after_a_template_string'),
    ],
)
def test_personal_data_logged_from_a_template_string_fires(committed, cli, line):
    committed.stage('src/server/signup.ts', line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert whys == ['added line 1: personal data logged'], whys


@pytest.mark.parametrize(
    'line',
    [
        # A word in the message's text is not the data it logs.
        pytest.param('logger.warn(`no email on file for ${user.id}`);', id='word_in_the_message_noop'),
        # The system's own addresses are no one's personal data.
        pytest.param(
            'console.log(`Migrating the service account to ${serviceAccountEmail()}`);',
            id='service_account_noop',
        ),
        pytest.param('logger.info("sending as %s", settings.DEFAULT_FROM_EMAIL)', id='sender_address_noop'),
        pytest.param('console.log(`replies go to ${config.noReplyEmail}`);', id='no_reply_noop'),
    ],
)
def test_logged_words_that_are_no_personal_data_noop(committed, cli, line):
    committed.stage('src/server/accounts.ts', line + '\n')
    assert 'sensitive-data' not in fired(cli)


@pytest.mark.parametrize(
    ('path', 'line', 'why'),
    [
        pytest.param(
            'app/Http/Controllers/Portal/Profile.php',
            "            'name', 'email', 'tax_number', 'phone',",
            'personal-data fields selected or saved',
            id='list_continued_on_its_own_line',
        ),
        pytest.param(
            'backend/app/assets/javascripts/views/order/address.js',
            '      "city", "zipcode", "phone", "country_id", "state_name", "vat_id", "email"];',
            'personal-data fields selected or saved',
            id='closing_line_of_a_field_list',
        ),
        pytest.param(
            'backend/app/helpers/stock_movements_helper.rb',
            '          originator.email',
            "a record's personal data passed on",
            id='ruby_method_value',
        ),
        pytest.param(
            'app/models/profile.py',
            '        return self.user.phone_number',
            "a record's personal data passed on",
            id='returned',
        ),
        pytest.param(
            'admin/app/components/orders/index/component.rb',
            '        customer_email = order.email',
            "a record's personal data passed on",
            id='read_into_a_name',
        ),
        pytest.param(
            'core/lib/spree/core/controller_helpers/order.rb',
            '            @current_order.update(last_ip_address: ip_address)',
            'personal-data key in a record or payload',
            id='ruby_keyword_argument_of_a_write',
        ),
        pytest.param(
            'app/signup.py',
            '    user = User.objects.create(email=email, name=name)',
            'personal-data key in a record or payload',
            id='python_keyword_argument_of_a_write',
        ),
    ],
)
def test_personal_data_listed_returned_or_written_fires(committed, cli, path, line, why):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert any(why in w for w in whys), whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param('app/ui.php', "    'Email', 'Phone',", id='display_labels_noop'),
        pytest.param('app/export.php', "    'email',", id='one_name_noop'),
        pytest.param(
            'app/rules.php', "    'required', 'string', 'email', 'max:255',", id='validation_rules_noop'
        ),
        pytest.param(
            'api/lib/store_configuration.rb',
            '      :bcc_email, :reverse_charge_status',
            id='mailbox_setting_noop',
        ),
        pytest.param('app/helpers.rb', '          originator.number', id='other_attribute_noop'),
        pytest.param(
            'lib/service-accounts/deleted-account.ts',
            '      return process.env.NEXT_PRIVATE_DELETED_SERVICE_ACCOUNT_EMAIL;',
            id='environment_variable_noop',
        ),
        pytest.param('app/mailer.rb', '    return store.support_email', id='system_mailbox_noop'),
        pytest.param('app/mailer.py', '    sender = settings.from_email', id='sender_setting_noop'),
        pytest.param('app/views.py', '    same = email == user.email', id='a_comparison_noop'),
        pytest.param('app/users.rb', '    User.where(email: email).first', id='a_lookup_noop'),
        pytest.param('app/users.rb', '    user.update(email: nil)', id='a_literal_noop'),
        pytest.param(
            'spec/models/order_spec.rb', '    order.update(last_ip_address: ip)', id='in_a_test_noop'
        ),
    ],
)
def test_personal_data_listed_returned_or_written_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'sensitive-data' not in fired(cli)


def test_a_citation_file_is_metadata_not_code(committed, cli):
    committed.stage(
        'CITATION.cff',
        'cff-version: 1.2.0\nauthors:\n  - family-names: Doe\n    given-names: Jane\n    email: jane@example.org\n',
    )
    assert 'sensitive-data' not in fired(cli)


# -- round six: a visitor's IP, a person's postal address, data handed on ----


@pytest.mark.parametrize(
    ('path', 'line', 'why'),
    [
        pytest.param(
            'src/lib/ip.ts',
            "  'x-forwarded-for',",
            "a visitor's IP address taken from a request",
            id='header_listed_ts',
        ),
        pytest.param(
            'app/middleware.py',
            "    ip = request.META.get('HTTP_X_REAL_IP') or request.META['REMOTE_ADDR']",
            "a visitor's IP address taken from a request",
            id='wsgi_meta_py',
        ),
        pytest.param(
            'app/Http/Visits.php',
            "        $visit->ip = $_SERVER['REMOTE_ADDR'];",
            "a visitor's IP address taken from a request",
            id='php_server',
        ),
        pytest.param(
            'internal/track/handler.go',
            '\tip := r.Header.Get("CF-Connecting-IP")',
            "a visitor's IP address taken from a request",
            id='go_header',
        ),
        pytest.param(
            'src/routes/track.js',
            '  await db.visits.insert({ at: now, from: req.ip });',
            "a visitor's IP address taken from a request",
            id='express',
        ),
        pytest.param(
            'app/controllers/sessions_controller.rb',
            '    session_log.origin = request.remote_ip',
            "a visitor's IP address taken from a request",
            id='rails',
        ),
        pytest.param(
            'src/analytics/collect.ts',
            '  const ip = getClientIp(req);',
            "a visitor's IP address taken from a request",
            id='helper',
        ),
        pytest.param(
            'src/main/java/org/shop/AuditFilter.java',
            '        audit.setOrigin(request.getRemoteAddr());',
            "a visitor's IP address taken from a request",
            id='servlet',
        ),
        pytest.param(
            'app/components/users/addresses/component.rb',
            '      @user.bill_address || Spree::Address.build_default',
            "a person's postal address read or written",
            id='bill_address_read',
        ),
        pytest.param(
            'app/controllers/users_controller.rb',
            '        ship_address_attributes: permitted_address_attributes,',
            "a person's postal address read or written",
            id='nested_attributes',
        ),
        pytest.param(
            'src/checkout/summary.tsx',
            '      <p>{order.shippingAddress.city}</p>',
            "a person's postal address read or written",
            id='shown_jsx',
        ),
        pytest.param(
            'shop/export.py',
            '            customer.home_address,',
            "a person's postal address read or written",
            id='exported_py',
        ),
        pytest.param(
            'src/embed/sign.tsx',
            '      <EmbedDirectTemplate email={recipient.email} token={token} />',
            "a person's e-mail or name handed to another page",
            id='embed_prop',
        ),
        pytest.param(
            'src/lib/links.ts',
            '  const url = `${base}/sign?email=${user.email}&name=${user.name}`;',
            "a person's e-mail or name handed to another page",
            id='query_string',
        ),
        pytest.param(
            'app/views/widgets.py',
            '    return redirect("/survey?email=" + quote(customer.email))',
            "a person's e-mail or name handed to another page",
            id='query_concatenated_py',
        ),
        pytest.param(
            'src/lib/iframe.ts',
            "  url.searchParams.set('email', contact.email);",
            "a person's e-mail or name handed to another page",
            id='search_params',
        ),
        pytest.param(
            'src/components/Chat.vue',
            '    <SupportWidget :email="user.email" :locale="locale" />',
            "a person's e-mail or name handed to another page",
            id='vue_prop',
        ),
        pytest.param(
            'src/embed/bridge.ts',
            "  window.parent.postMessage({ type: 'signed', email: signer.email }, origin);",
            "a person's e-mail or name handed to another page",
            id='post_message',
        ),
        pytest.param(
            'apps/web/components/signing-complete-dialog.tsx',
            '          email ||',
            "a record's personal data passed on",
            id='fallback_chain_value',
        ),
        pytest.param(
            'insuree/schema.py',
            "    exportable_fields = ['insurees']",
            'a list of people exported',
            id='insured_persons_exported',
        ),
        pytest.param(
            'school/reports.py',
            'def export_students_csv(request):',
            'a list of people exported',
            id='students_exported',
        ),
        pytest.param(
            'helpdesk/api/customer.py',
            '    return {"name": customer_doc.name, "invited_emails": invited_emails}',
            'a record of personal data given back',
            id='dict_returned',
        ),
        pytest.param(
            'helpdesk/api/customer.py',
            '    return result["invite_result"]["invited_emails"]',
            'a record of personal data given back',
            id='entry_returned',
        ),
        pytest.param(
            'app/Http/Resources/PersonResource.php',
            "        return ['id' => $this->id, 'phone' => $this->phone];",
            'a record of personal data given back',
            id='php_array_returned',
        ),
        pytest.param(
            'backend/plugins/sales_api/src/queries/deals.ts',
            '          { primaryPhone: { $regex: phonePattern } },',
            'people searched by their personal data',
            id='mongo_regex',
        ),
        pytest.param(
            'crm/views.py',
            '    people = Contact.objects.filter(email__icontains=q)',
            'people searched by their personal data',
            id='django_icontains',
        ),
        pytest.param(
            'internal/store/people.go',
            '\tq := "SELECT id FROM people WHERE last_name ILIKE $1"',
            'people searched by their personal data',
            id='sql_ilike',
        ),
        pytest.param(
            'core/app/models/shop/ability.rb',
            '      can :manage, ::Shop::Address, user_id: user.id if user.persisted?',
            "access to people's records",
            id='cancan_ability',
        ),
        pytest.param(
            'crm/views.py',
            "@permission_required('contacts.export_contact')",
            "access to people's records",
            id='django_permission',
        ),
        pytest.param(
            'frontend/src/search/providers/contacts.ts',
            "      body: '{ list { _id firstName lastName primaryEmail primaryPhone } totalCount }',",
            'personal-data fields queried',
            id='graphql_selection',
        ),
        pytest.param(
            'web/src/api/me.js',
            'const ME = gql`query Me { me { id email phone } }`;',
            'personal-data fields queried',
            id='graphql_gql_tag',
        ),
        pytest.param(
            'omod/src/main/java/org/clinic/web/ProgramEnrollmentResource.java',
            '    public static List<PatientIdentifier> getIdentifiers(PatientProgram instance) {',
            'patient identifier',
            id='patient_identifiers',
        ),
        pytest.param('clinic/records.py', '    row.append(visit.mrn)', 'mrn', id='medical_record_number'),
        pytest.param(
            'src/lib/telemetry.ts',
            '  posthog.identify(user.id, { email: user.email, name: user.name });',
            "a person's e-mail or name handed to another page",
            id='analytics_identify',
        ),
    ],
)
def test_round_six_classes_fire(committed, cli, path, line, why):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert any(why in x for x in whys), whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        # A server's own address, a bind address, an address in config.
        pytest.param('src/server.ts', "app.listen(port, '0.0.0.0');", id='listen_address_noop'),
        pytest.param('config/settings.py', "ALLOWED_HOSTS = ['127.0.0.1', 'localhost']", id='config_ip_noop'),
        pytest.param(
            'cmd/serve.go', '\tbindIP := flag.String("bind", "127.0.0.1", "bind address")', id='bind_ip_noop'
        ),
        # A library building the environ or exposing the socket's address.
        pytest.param(
            'starlette/middleware/wsgi.py',
            '        environ["REMOTE_ADDR"] = scope["client"][0]',
            id='environ_built_noop',
        ),
        pytest.param(
            'src/adapter/node/conninfo.ts',
            '    remote: { address: socket.remoteAddress },',
            id='socket_exposed_noop',
        ),
        pytest.param('echo.go', '\tHeaderXForwardedFor = "X-Forwarded-For"', id='header_constant_noop'),
        pytest.param('chi/middleware/realip.go', '\t\tr.RemoteAddr = rip', id='library_sets_it_noop'),
        # A header set by a test's request; an IP in a test.
        pytest.param(
            'src/adapter/netlify/conninfo.test.ts',
            "        'x-forwarded-for': `${ip}, 10.0.0.1`,",
            id='test_header_noop',
        ),
        pytest.param('tests/test_visits.py', "    ip = request.META['REMOTE_ADDR']", id='in_a_test_noop'),
        # An example program's request log; a log field named like the variable.
        pytest.param(
            '_examples/logging/main.go',
            '\t\tslog.String("remote_addr", r.RemoteAddr),',
            id='in_an_example_noop',
        ),
        pytest.param('internal/log/fields.go', '\tkeyRemote = "remote_addr"', id='log_field_name_noop'),
        # Addresses that are no one's home: a mail server, a wallet, a
        # contract, memory; a server's IP; a label or translation key.
        pytest.param(
            'app/mailers/base.rb', '    smtp.address = settings.smtp_address', id='mail_server_noop'
        ),
        pytest.param('src/chain/transfer.ts', '  const to = wallet.address;', id='wallet_noop'),
        pytest.param('src/chain.ts', '  const c = contract.address', id='contract_noop'),
        pytest.param('src/debug.c', '  void *p = frame->return_address;', id='memory_noop'),
        pytest.param('deploy/hosts.py', '    host = server.ip_address', id='server_ip_noop'),
        pytest.param(
            'app/components/users/addresses/component.html.erb',
            '<%= render component("ui/panel").new(title: t(".billing_address")) do %>',
            id='translation_key_noop',
        ),
        pytest.param('config/locales/users.en.yml', '  billing_address: Billing Address', id='label_noop'),
        # A literal query, a form field's name, a sender, a label.
        pytest.param(
            'src/links.ts', "const help = '/contact?email=support@example.com';", id='literal_query_noop'
        ),
        pytest.param(
            'src/Form.tsx', '        <input name={field.name} value={value} />', id='form_field_name_noop'
        ),
        pytest.param('src/Form.tsx', '        <Input type="email" label="Email" />', id='label_text_noop'),
        pytest.param('src/mail.ts', '  const link = `${base}/unsubscribe?email=`;', id='empty_query_noop'),
        pytest.param(
            'src/embed/bridge.ts',
            "  window.parent.postMessage({ type: 'resize', height }, '*');",
            id='post_message_noop',
        ),
        # Destructuring, a block, a one-name selection, no personal field.
        pytest.param('src/user.ts', 'const { email, name } = user;', id='destructuring_noop'),
        pytest.param('src/form.ts', 'if (changed) { email = next }', id='block_noop'),
        pytest.param(
            'src/api/q.ts',
            "  body: '{ list { _id name code } totalCount }',",
            id='selection_without_personal_data_noop',
        ),
        pytest.param(
            'src/clinic/Concepts.java',
            '    String uuid = conceptUuid(patientProgramState);',
            id='patient_word_alone_noop',
        ),
        # A flag or a sender in a fallback chain; an export of goods.
        pytest.param('src/form.ts', '          isValid ||', id='flag_fallback_noop'),
        pytest.param('src/mail.ts', '          fromEmail ||', id='sender_fallback_noop'),
        pytest.param('src/mail.ts', '          emailEnabled ||', id='setting_fallback_noop'),
        pytest.param('catalogue/schema.py', "    exportable_fields = ['products']", id='goods_exported_noop'),
        # A literal returned, another entry returned; an exact lookup; an
        # ability over goods; a people-free permission.
        pytest.param('app/api.py', '    return {"email": ""}', id='literal_returned_noop'),
        pytest.param('app/api.py', "    return row['id']", id='other_entry_returned_noop'),
        pytest.param('app/users.rb', '    User.find_by(email: params[:email])', id='exact_lookup_noop'),
        pytest.param(
            'internal/store/people.go',
            '\tq := "SELECT id FROM people WHERE email = $1"',
            id='sql_equality_noop',
        ),
        pytest.param('app/models/ability.rb', '    can :read, Shop::Product', id='goods_ability_noop'),
        pytest.param(
            'app/models/ability.rb', '    can :read, Shop::CustomerReturn', id='return_ability_noop'
        ),
        pytest.param(
            'shop/views.py', "@permission_required('catalogue.change_product')", id='goods_permission_noop'
        ),
    ],
)
def test_round_six_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'sensitive-data' not in fired(cli), line


@pytest.mark.parametrize(
    ('path', 'fires'),
    [
        pytest.param('backend/contacts/import/customers/processCustomerRows.ts', True, id='customers_import'),
        pytest.param('app/importers/contact_importer.rb', True, id='contact_importer'),
        pytest.param('app/Imports/CustomersImport.php', True, id='customers_import_php'),
        pytest.param('src/imports/product_import.py', False, id='product_import_noop'),
        pytest.param('src/customers/important_notes.py', False, id='important_is_no_import_noop'),
    ],
)
def test_a_list_of_people_imported_path_words(committed, cli, path, fires):
    committed.stage(path, 'x = 1\n')
    assert ('sensitive-data' in fired(cli)) is fires


# -- round seven: C# properties, privileges over people, lookups, validators --


@pytest.mark.parametrize(
    ('path', 'line', 'rule'),
    [
        pytest.param(
            'src/Api/Models/Request/OrganizationUserRequestModels.cs',
            '    public string? Email { get; set; }',
            'personal-data field in a model, struct or schema',
            id='csharp_property',
        ),
        pytest.param(
            'src/Core/Models/Mail/MemberChangedView.cs',
            '    public required string PhoneNumber { get; init; }',
            'personal-data field in a model, struct or schema',
            id='csharp_required_init_property',
        ),
        pytest.param(
            'api/src/main/java/org/clinic/api/ProgramWorkflowService.java',
            '\t@Authorized({ PrivilegeConstants.GET_PATIENT_PROGRAMS })',
            "access to people's records",
            id='java_privilege_constant',
        ),
        pytest.param(
            'src/main/java/org/shop/CustomerController.java',
            '    @PreAuthorize("hasAuthority(\'VIEW_CUSTOMERS\')")',
            "access to people's records",
            id='spring_authority',
        ),
        pytest.param(
            'app/Http/Controllers/ContactController.php',
            "        $this->authorize('EDIT_CONTACTS');",
            "access to people's records",
            id='php_authorize',
        ),
        pytest.param(
            'server/server_twilio.go',
            '\tphoneNumbers, err := s.userManager.PhoneNumbers(u.ID)',
            "a person's personal data looked up by id",
            id='go_phone_numbers_by_id',
        ),
        pytest.param(
            'src/team/members.ts',
            '  const emails = await getEmails(userId);',
            "a person's personal data looked up by id",
            id='ts_emails_by_id',
        ),
        pytest.param(
            'shop/checkout/utils.py',
            '    addresses = find_addresses_by_customer(customer.id)',
            "a person's personal data looked up by id",
            id='python_addresses_by_id',
        ),
    ],
)
def test_round_seven_classes_fire(committed, cli, path, line, rule):
    committed.stage(path, line + '\n')
    whys = fired_whys(cli, 'sensitive-data')
    assert any(rule in why for why in whys), whys


@pytest.mark.parametrize(
    ('path', 'line'),
    [
        pytest.param(
            'src/Core/Models/Mail/NotificationView.cs',
            '    public string? SenderEmail { get; set; }',
            id='csharp_sender_noop',
        ),
        pytest.param(
            'src/Core/Models/Mail/NotificationView.cs',
            '    public string Title { get; set; }',
            id='csharp_title_noop',
        ),
        pytest.param(
            'api/src/main/java/org/clinic/api/ConceptService.java',
            '\t@Authorized({ PrivilegeConstants.GET_CONCEPTS })',
            id='privilege_over_concepts_noop',
        ),
        pytest.param(
            'src/main/java/org/clinic/Routes.java',
            '    static final String GET_PATIENT_URL = "/patients";',
            id='constant_without_a_check_noop',
        ),
        pytest.param('src/mail/notify.ts', '  await sendEmail(user.id);', id='message_sent_noop'),
        pytest.param('hc/front/views.py', '    checks = list_checks(project.id)', id='other_lookup_noop'),
    ],
)
def test_round_seven_near_misses_noop(committed, cli, path, line):
    committed.stage(path, line + '\n')
    assert 'sensitive-data' not in fired(cli), line


SMS_FORM = (
    'import re\n'
    '\n'
    'from django import forms\n'
    '\n'
    '\n'
    'class AddSmsForm(forms.Form):\n'
    '    label = forms.CharField(max_length=100, required=False)\n'
    '    value = forms.CharField()\n'
    '\n'
    '    def clean_label(self):\n'
    '        return self.cleaned_data["label"]{label}\n'
    '\n'
    '    def clean_value(self):\n'
    '        v = self.cleaned_data["value"]\n'
    '        stripped = v.encode("ascii", "ignore").decode("ascii"){value}\n'
    '        if not re.match(r"^\\+\\d{{5,15}}$", stripped):\n'
    '            raise forms.ValidationError("Invalid phone number format.")\n'
    '        return stripped\n'
)

GO_VALIDATOR = (
    'package contacts\n'
    '\n'
    'import "errors"\n'
    '\n'
    'func validateContact(v string) error {{\n'
    '\tif {condition} {{\n'
    '\t\treturn errors.New("invalid email address")\n'
    '\t}}\n'
    '\treturn nil\n'
    '}}\n'
)

# A command's setup: long, and refusing a bad e-mail limit somewhere.
GO_SETUP = (
    'package cmd\n'
    '\n'
    'func execServe(c *cli.Context) error {{\n'
    '\tlisten := c.String("listen-http"){listen}\n'
    + ''.join(f'\topt{i} := c.String("option-{i}")\n' for i in range(70))
    + '\tif err != nil {{\n'
    '\t\treturn fmt.Errorf("invalid visitor email limit: %s", s)\n'
    '\t}}\n'
    '\treturn nil\n'
    '}}\n'
)

JAVA_PUBLISHER = (
    'package org.tracker.publishing;\n'
    '\n'
    'public class EmailPublisher {{\n'
    '    public void publish(Message message) {{\n'
    '        try {{\n'
    '            {call};\n'
    '        }} catch (MessagingException e) {{\n'
    '            throw new PublishException("Failed to send email", e);\n'
    '        }}\n'
    '    }}\n'
    '}}\n'
)


@pytest.mark.parametrize(
    ('path', 'template', 'before', 'after', 'fires'),
    [
        pytest.param(
            'hc/front/forms.py',
            SMS_FORM,
            {'label': '', 'value': ''},
            {'label': '', 'value': '\n        stripped = stripped.replace(" ", "").replace("-", "")'},
            True,
            id='python_phone_normalised',
        ),
        pytest.param(
            'internal/contacts/validate.go',
            GO_VALIDATOR,
            {'condition': '!strings.Contains(v, "@")'},
            {'condition': '!emailPattern.MatchString(v)'},
            True,
            id='go_email_check_changed',
        ),
        pytest.param(
            'hc/front/forms.py',
            SMS_FORM,
            {'label': '', 'value': ''},
            {'label': '.strip()', 'value': ''},
            False,
            id='another_function_of_the_file_noop',
        ),
        pytest.param(
            'cmd/serve.go',
            GO_SETUP,
            {'listen': ''},
            {'listen': '\n\tproxy := c.String("proxy-trusted-hosts")'},
            False,
            id='long_setup_is_no_validator_noop',
        ),
        pytest.param(
            'src/main/java/org/tracker/publishing/EmailPublisher.java',
            JAVA_PUBLISHER,
            {'call': 'message.setSender(sender)'},
            {'call': 'message.setFrom(sender)'},
            False,
            id='failure_to_send_is_no_validation_noop',
        ),
    ],
)
def test_a_validator_of_personal_data(committed, cli, path, template, before, after, fires):
    committed.stage(path, template.format(**before))
    committed.commit('validator')
    committed.stage(path, template.format(**after))
    found = fired(cli)
    if fires:
        whys = [d['why'] for d in found['sensitive-data']['details']]
        assert any('inside a validator of personal data' in why for why in whys), whys
    else:
        assert 'sensitive-data' not in found


def test_the_validator_check_reads_a_bounded_number_of_files(committed, cli, monkeypatch):
    """Both versions of each modified file are read for it: at most
    MAX_VALIDATOR_FILES files, as the security trigger bounds its reads."""
    from review_trigger.triggers import sensitive_data

    before = {'condition': '!strings.Contains(v, "@")'}
    after = {'condition': '!emailPattern.MatchString(v)'}
    for name in ('a', 'b'):
        committed.stage(f'internal/{name}/validate.go', GO_VALIDATOR.format(**before))
    committed.commit('validators')
    committed.stage(
        'internal/a/validate.go', GO_VALIDATOR.format(**before).replace('package', '// a\npackage', 1)
    )
    committed.stage('internal/b/validate.go', GO_VALIDATOR.format(**after))

    def validators() -> list[str]:
        found = fired(cli).get('sensitive-data', {'details': []})
        return [d['path'] for d in found['details'] if 'inside a validator' in d['why']]

    assert validators() == ['internal/b/validate.go']
    monkeypatch.setattr(sensitive_data, 'MAX_VALIDATOR_FILES', 1)
    assert validators() == []


@pytest.mark.parametrize(
    ('path', 'fires'),
    [
        pytest.param('api/src/main/java/org/clinic/api/ProgramWorkflowService.java', True, id='code'),
        pytest.param(
            'api/src/test/java/org/clinic/api/ProgramWorkflowServiceTest.java', False, id='test_noop'
        ),
        pytest.param('tests/test_programs.py', False, id='python_test_noop'),
        pytest.param('examples/programs/main.go', False, id='example_noop'),
    ],
)
def test_a_data_word_in_a_test_names_a_fixture(committed, cli, path, fires):
    committed.stage(path, '\t\tList<Integer> patientIds = Arrays.asList(2);\n')
    assert ('sensitive-data' in fired(cli)) is fires
