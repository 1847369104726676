"""The built-in rules, as data.

Every list here can be replaced (``key``) or extended (``extra_key``) from the
configuration file; ``review-trigger config`` prints the merged result.

Path globs use gitignore syntax (matched with pathspec). Word lists are
matched against the words of a path or identifier: ``src/userPermissions.ts``
has the words ``src user permissions ts``, so ``permissions`` matches it while
``AUTHORS`` (one word, ``authors``) does not match ``auth``. A word also
matches its plural with a trailing ``s``. Multi-word entries (``api key``)
match consecutive words.
"""

from __future__ import annotations

from typing import Any

# Files that never fire the word-based rules (path words, identifiers,
# unsafe patterns): lock files, vendored and generated code. All but the
# lock files and bundles (NEVER_READ) are still scanned with the secret-shape rules.
GENERATED = (
    '*.lock',
    'package-lock.json',
    'npm-shrinkwrap.json',
    'pnpm-lock.yaml',
    'yarn.lock',
    'go.sum',
    'Cargo.lock',
    'poetry.lock',
    'uv.lock',
    'Pipfile.lock',
    'composer.lock',
    'Gemfile.lock',
    'packages.lock.json',
    'vendor/',
    'third_party/',
    'third-party/',
    'node_modules/',
    '*.min.js',
    '*.min.css',
    '*.map',
    '*_pb2.py',
    '*_pb2_grpc.py',
    '*.pb.go',
    '*.generated.*',
    '*.g.dart',
    'dist/',
    '__snapshots__/',
    '*.snap',
    # The configuration's JSON schema, as `review-trigger init` writes it
    # for editors: review-trigger's own, naming credentials in its prose.
    '/.review-trigger.schema.json',
)

ADR_DIRS = (
    'docs/adr/',
    'doc/adr/',
    'docs/adrs/',
    'docs/decisions/',
    '/adr/',
    '/adrs/',
    'architecture/decisions/',
    'docs/architecture/decisions/',
)

# Generated files never read, not even for secrets: lock files hold hashes
# and URLs by the thousand and are rewritten by tools; minified bundles and
# source maps are one huge line each.
NEVER_READ = (
    '*.lock',
    'package-lock.json',
    'npm-shrinkwrap.json',
    'pnpm-lock.yaml',
    'yarn.lock',
    'go.sum',
    'packages.lock.json',
    '*.lock.json',
    '*.min.js',
    '*.min.css',
    '*.map',
)

# Not code: documents, translations and drawings. Path words and the code rules
# (unsafe patterns, auth identifiers, imports) do not count there; a
# document about security is the `document` trigger's business, and
# `import jwt` in a markdown code sample is not an import.
NOT_CODE = (
    '*.md',
    '*.mdx',
    '*.markdown',
    '*.rst',
    '*.txt',
    '*.adoc',
    '*.asciidoc',
    '*.org',
    '*.tex',
    # Vector images: XML drawings, not code (secret shapes still look).
    '*.svg',
    '*.drawio',
    # A citation file: its authors' names and addresses are its metadata.
    'CITATION.cff',
    '*.po',
    '*.pot',
    '*.mo',
    '*.xlf',
    '*.xliff',
    'locale/',
    'locales/',
    'i18n/',
    'l10n/',
    'lang/',
    'langs/',
    'translations/',
    'CHANGELOG*',
    'CHANGES*',
    'HISTORY*',
    'NEWS*',
)


# Manifests: a packaging field edited in one that sits in an `auth` folder
# is not auth code (dependency changes are the architecture trigger's).
MANIFESTS = (
    'package.json',
    'Cargo.toml',
    'go.mod',
    'pyproject.toml',
    'setup.cfg',
    'setup.py',
    'composer.json',
    'Gemfile',
    '*.gemspec',
    'pom.xml',
    'build.gradle',
    'build.gradle.kts',
    'Pipfile',
    'requirements*.txt',
    'deno.json',
    'mix.exs',
    '*.csproj',
)

# Not the system's code: CI and agent configuration, recorded HTTP
# fixtures and snapshots (data, not code).
NOT_SYSTEM_CODE = (
    '.github/',
    '.gitlab-ci.yml',
    '.gitlab/',
    '.circleci/',
    '.buildkite/',
    'Jenkinsfile',
    'azure-pipelines.yml',
    '.claude/',
    '.codex/',
    '.gemini/',
    '.cursor/',
    '.agents/',
    '.windsurf/',
    'cassettes/',
    'vcr_cassettes/',
    '__snapshots__/',
    'snapshots/',
    '*.snap',
    '*.har',
)
# Fake-data generators handle no one's data.
FAKE_DATA = (
    'demo/',
    'seeds/',
    'seeders/',
    'factories/',
    'fixtures/',
    'faker/',
    '*Dummy*',
    '*dummy*',
    '*Faker*',
)
# Where a personal-data word names something else.
NOT_DATA_CODE = (*NOT_CODE, *NOT_SYSTEM_CODE, *FAKE_DATA)
# Field and column shapes count in the system's own data definitions, not
# in a test's throwaway structs.
TEST_PATHS = (
    'test/',
    'tests/',
    'spec/',
    '__tests__/',
    'testdata/',
    '*_test.go',
    'test_*.py',
    '*_test.py',
    '*.test.*',
    '*.spec.*',
    '*_spec.rb',
    '*Test.java',
    '*Test.kt',
    '*Tests.cs',
)
# Example programs show a library's use; the data in them is no one's.
EXAMPLE_PATHS = ('examples/', '_examples/')
NOT_DATA_DEFINITION = (*NOT_DATA_CODE, *TEST_PATHS, *EXAMPLE_PATHS)

# Auth identifiers count in code, not in CI workflows (a job's
# `permissions:` are the governance trigger's), agent configuration,
# manifests (a dependency named `cookie`) or recorded fixtures.
NOT_AUTH_CODE = (*NOT_CODE, *NOT_SYSTEM_CODE, *MANIFESTS)

# A `session` path word names a protocol or database session, not a login,
# when the path also holds one of these words.
NOT_LOGIN_SESSION = (
    'ws',
    'websocket',
    'websockets',
    'socket',
    'sockets',
    'db',
    'database',
    'sql',
    'sqlalchemy',
    'orm',
    'grpc',
    'http2',
    'h2',
    'quic',
    'ssh',
    'tcp',
    'udp',
    'mcp',
    'stream',
    'replay',
    'replays',
    'recording',
    'debug',
    'debugger',
    'tmux',
    'terminal',
    'chat',
    'jupyter',
    'kernel',
    'repl',
    # A payment provider's checkout or payment session (Stripe Checkout, a
    # gateway's payment session) is a purchase.
    'checkout',
    'payment',
    'payments',
)
NOT_LOGIN_SESSION_SET = frozenset(NOT_LOGIN_SESSION)
# A ``vault`` path word whose path names what the vault holds, and it is
# no secret: a product's collection of contacts, notes or photos
# (``Pages/Vault/Contact/Show.vue``), not a secrets store.
NOT_SECRET_VAULT = ('contact', 'contacts', 'note', 'notes', 'photo', 'photos', 'journal', 'journals')
NOT_SECRET_VAULT_SET = frozenset(NOT_SECRET_VAULT)

# A `ledger` path word names days off, stock or a log of events, not
# money, when the path also holds one of these words (`leave_ledger_entry`,
# `stock_ledger.py`, `review/ledger.py`).
NOT_MONEY_LEDGER = (
    'leave',
    'stock',
    'inventory',
    'audit',
    'event',
    'events',
    'review',
    'reviews',
    'attendance',
    'timesheet',
    'change',
    'changes',
    'commit',
    'migration',
    'migrations',
    'cost',
    'usage',
    'token',
    'tokens',
)
NOT_MONEY_LEDGER_SET = frozenset(NOT_MONEY_LEDGER)

# Where a data word names a domain, not data: inside an e-mail address, a
# URL or a host name (`test@salary.com`, `https://bank.example.org/x`).
NOT_DATA_WORD_SPANS = (
    r"""[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[a-z][a-z0-9+.-]*://[^\s'"`<>)]+|"""
    r"""\b([a-z0-9-]+\.)+(com|org|net|example)\b(?![.(\w])"""
)
# A changed line that is only a comment (a docblock's `@var` edited) is no
# change to the code a path word names.
# How alike (difflib's ratio of their words) a gained line must be to a
# lost line naming the same data to count as the same line reworded.
REWORDED_RATIO = 0.9
COMMENT_LINE = r'''^\s*(\*|//|#|/\*|--\s|<!--|"""|\'\'\'|\*/)'''

# A secret-shaped match whose value is an obvious placeholder is not a
# credential: `'test-api-key'`, `'your-api-key'`, `'changeme'`, `'${VAR}'`,
# `'<token>'`, a value that says it is an example, a run of x's or stars.
PLACEHOLDER_VALUE = (
    r"""(?i)(:=|=>|=|:)\s*[rbu]?['"](\$\{?[\w.]*\}?|\{\{.*\}\}|<[^>\s]*>|"""
    r"""%\(?\w*\)?s|(your|my|example|sample|dummy|fake|test|testing|placeholder|"""
    r"""changeme|change_me|change-me|replaceme|replace_me|insert|redacted|secret|"""
    r"""password|none|null|nil|undefined|todo|tbd|foo|bar|xxx)([_-][\w-]*)?)?['"]"""
)
PLACEHOLDER = (
    PLACEHOLDER_VALUE
    + r"""|(:=|=>|=|:|\s)\s*[rbu]?['"]?(\$\{?[\w.]*\}?|<[^>\s]*>|(your|my|example|sample|dummy|"""
    r"""fake|test|testing|placeholder|changeme|change_me|change-me|replaceme|replace_me|"""
    r"""insert|redacted|secret|password|none|null|nil|undefined|todo|tbd|foo|bar|xxx)"""
    r"""([_-][\w-]*)?)['"]?\s*([,;)}\]#]|$)"""
    r"""|x{6,}|X{6,}|\*{4,}|\.{3}|_here\b|(?-i:EXAMPLE)\b|<[\w -]+>|\$\{\w+"""
)
# An assignment to a name that holds no secret: `secret_name = "db-creds"`,
# `token_type = "bearer"`, `password_field = "password"`.
NOT_A_SECRET_NAME = (
    r"""(?i)(name|ref|file|path|env|id|arn|type|field|header|url|uri|len|length|"""
    r"""policy|prompt|label|hint|regex|pattern|min|max|count|mode|version|"""
    r"""provider|manager|store|class|param|key_?name)['"]?\s*(:=|=>|=|:)"""
)

# Content rules that are safe in one form: a hit is dropped when its line
# also matches the rule's entry here.
SAFE_FORMS = {
    'unsafe deserialisation': r'SafeLoader|CSafeLoader|safe_load|weights_only\s*=\s*True|BaseLoader|yaml\.load\(\s*\w+\s*,\s*Loader\s*=\s*yaml\.(C?Safe|Base)',
}
# Words of an authorization check (``ensure_permission``, ``@login_required``,
# ``authorize!``): a code line added or removed within AUTH_CHECK_NEAR lines
# of one moves logic across the check or changes what it guards (a check
# moved before an existence test), even when the check's own line is kept.
AUTH_CHECK_WORDS = (
    'permission',
    'permissions',
    'authorize',
    'authorized',
    'authorization',
    'login required',
    'require login',
    'is admin',
    'is superuser',
    'require admin',
    'has role',
    'has any role',
    'access control',
    'can access',
)
AUTH_CHECK_NEAR = 3
# An annotation or decorator (`@PermissionRequired(...)`, `@login_required`)
# guards what follows it: a line added above it is no code it guards.
ANNOTATION_LINE = r"""^\s*@\w"""
# An import naming a check (`import alpine.server.auth.PermissionRequired;`,
# `use App\Http\Middleware\Authorize;`) is no check: a line added next to
# it guards nothing.
IMPORT_LINE = r"""^\s*(import|from\s+[\w.]+\s+import|using|use|require|require_once|include|#include)\b"""
# The source files that rule reads (a licence's "permission is hereby
# granted" is no check), and the changed lines it leaves out: a log call
# changes no logic (`ctx.error(...)` becoming `ctx.warn(...)`).
AUTH_CHECK_CODE = (
    *(f'*.{ext}' for ext in ('py', 'rb', 'go', 'rs', 'js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts')),
    *(f'*.{ext}' for ext in ('java', 'kt', 'scala', 'php', 'cs', 'swift', 'ex', 'exs', 'vue', 'svelte')),
    *(f'*.{ext}' for ext in ('c', 'cc', 'cpp', 'h', 'hpp', 'm', 'erb', 'lua', 'dart', 'clj')),
)
LOG_CALL_LINE = (
    r'^\s*(await\s+)?([\w$]+\.)*(log|logger|logging|console|ctx|slog|zap|logrus|Log|Logger|LOG|LOGGER)'
    r'\.(debug|info|warn|warning|error|log|trace|fatal|notice|critical)\w*\s*\('
)
# Identifier hits that name file-mode bits or a browser or OS permission
# prompt, not an authorization check.
NOT_AUTH = (
    r"""(?i)\bchmod\b|\bumask\b|\b0o?[0-7]{3}\b|\bS_I[RWX](USR|GRP|OTH)\b|"""
    r"""^\s*(\*|//|#|/\*|--\s|<!--)|\bst_mode\b|file[ _-]?mode|fs\.constants|os\.FileMode|FileMode\(|"""
    r"""PosixFilePermission|filePermissions|permissions-policy|"""
    r"""permissions_policy|PermissionsPolicy|navigator\.permissions|"""
    r"""requestPermission|Notification\.permission|PermissionsAndroid|"""
    r"""android\.permission|\b(camera|microphone|geolocation|notification)s?[_ ]?permission"""
)

# The system's own addresses (a sender's, a no-reply or a service
# account's, a copy's or reply-to mailbox) are no one's personal data.
_NOT_A_PERSON = r'(?!\w*(from|sender|b?cc|reply_?to|no_?reply|support|service_?account|system|smtp)_?e_?mail)'

# In a test, setup rather than auth logic. The test client sending its
# credential with a request: the Authorization header given a scheme and a
# value (`headers={"HTTP_AUTHORIZATION":
# f"Bearer {token}"}`, `headers: { Authorization: 'Bearer galleon' }`,
# `.set('Authorization', `Bearer ${token}`)`).
TEST_CLIENT_CREDENTIAL = (
    r"""(?i)(\b|_)authorization['"]?\s*[:=,]\s*f?['"`](bearer|basic|token|jwt)\s"""
    r"""|\.(set|header|set_?header|with_?header|add_?header)\(\s*['"]authorization['"]\s*,\s*f?['"`](bearer|basic|token|jwt)\s"""
    # A test's description is prose: `it "can update a store"` is no
    # `can :update` ability.
    r"""|^\s*(it|test|specify|scenario)\s*\(?\s*['"`][^'"`]*\bcan\s"""
)

# Personal-data fields, matched inside identifiers (``unconfirmed_email``,
# ``firstName``, ``billing_address``).
_PII = (
    r'(e_?mail|phone|mobile_?(number|no)|telephone|street|postal_?code|'
    r'post_?code|zip_?code|(home|billing|shipping|mailing|postal|street)_?address|'
    r'address_?line|date_?of_?birth|birth_?date|birthday|first_?name|last_?name|'
    r'full_?name|surname|given_?name|family_?name|gender|nationality|'
    r'national_?id|passport|tax_?id)'
)
_PII_STORED = _PII[:-1] + r'|ip_?address|sign_?in_?ip|remote_?ip|user_?agent)'
PII_COLUMN = (
    r'(?i)\bt\.\w+\s*(?:\(\s*)?[:"\']\w*'
    + _PII_STORED
    + r'|\badd_column\s*(?:\(\s*)?:\w+\s*,\s*:\w*'
    + _PII_STORED
    + r'|\$table->\w+\(\s*[\'"]\w*'
    + _PII_STORED
    + r'|\b(sa\.)?Column\(\s*[\'"]\w*'
    + _PII_STORED
    + r'|\bop\.add_column\(.*[\'"]\w*'
    + _PII_STORED
    + r'|^\s*["`]?\w*'
    + _PII_STORED
    + r'\w*["`]?\s+(varchar|text|char|citext|inet|nvarchar|character varying)\b'
    + r'|\badd\s+column\s+(if\s+not\s+exists\s+)?["`]?\w*'
    + _PII_STORED
)
PII_FIELD = (
    # A model field: the stored list (an IP address kept per user too).
    r'(?i)^\s*((public|private|protected|pub)\s+)?((readonly|val|var|let|const)\s+)?\w*'
    + _PII_STORED
    + r'\w*\??\s*[:=]\s*(models\.|fields\.|serializers\.|forms\.|db\.|sa\.|'
    r'orm\.|mapped_column|Column|Field|\w*(Char|Email|Text|Date|IPAddress|Phone\w*)Field|'
    r'EmailStr|Mapped\[|Optional\[|str\b|string\b|Date\b|date\b|datetime\b|z\.|'
    r'yup\.|Joi\.|Schema\.|\{\s*type\s*:)'
    r'|`(json|db|gorm|bson|xml|yaml|form)\s*:\s*"\w*'
    + _PII
    + r'|^\s*\w*'
    + _PII
    + r'\w*\s+\*?(string|int\d*|time\.Time|sql\.Null\w+|\[\]byte)\b'
    + r'|^\s*(optional\s+|repeated\s+|required\s+)?(string|bytes)\s+\w*'
    + _PII
    + r'\w*\s*=\s*\d+'
    + r'|^\s*(private|public|protected)\s+(final\s+)?String\s+\w*'
    + _PII
    + r'|@Column\b.*'
    + _PII
    + r'|\bfields\s*=\s*[\[(].*[\'"]\w*'
    + _PII
    + r'|\bpermit\(.*:\w*'
    + _PII
    + r'|^\s*"\w*'
    + _PII
    + r'\w*"\s*:\s*\{\s*("type"|$)'
    # A C# property (`public string? Email { get; set; }`, `public required
    # string NewEmail { get; init; }`).
    + r'|^\s*(public|internal|protected|private)\s+((required|virtual|override|static|new)\s+)?((required|virtual|override|new)\s+)?[\w.<>?\[\],]+\s+'
    + _NOT_A_PERSON
    + r'\w*'
    + _PII_STORED
    + r'\w*\s*\{\s*(get|set|init)\b'
    # A GraphQL type's field: `email: String!`, `{ phone: PhoneNumber }`.
    + r'|(^\s*|\{\s*)\w*'
    + _PII
    + r'\w*\s*:\s*\[?(String|Email\w*|PhoneNumber|Date|DateTime)\b'
)
# A personal-data key given a value in a record or payload built in code
# (`'postal_code' => $parts[5]`, `"email": user.email`): what is stored,
# sent or exported. A key given a literal (a label, a validation rule) is not.
PII_KEY = (
    r"""(?i)^\s*['"]\w*"""
    + _PII_STORED
    + r"""\w*['"]\s*(=>|:)\s*(?!['"\d\[{(]|true|false|null|nil|none|undefined)[\w$@]"""
    # The same key set by subscript (`row['shipping_address_name'] = ...`,
    # `$data["email"] = $request->email`).
    + r"""|(?i:\[\s*['"]\w*"""
    + _PII_STORED
    + r"""\w*['"]\s*\]\s*=(?!=)\s*(?!['"\d\[{(]|true|false|null|nil|none|undefined)[\w$@])"""
    # An unquoted key (a JavaScript object, a Ruby hash) given another
    # record's attribute: `emailAddress: user.email`, `fullName: user.name`.
    + r"""|(?i:^\s*\w*"""
    + _PII_STORED
    + r"""\w*\s*:\s*[\w$@]+(\?\.|\.|->)\w)"""
    # A keyword argument of a call that writes a record, given a value
    # (`order.update(last_ip_address: ip_address)`,
    # `User.objects.create(email=email)`, `params.merge(email: e)`).
    + r"""|(?i:\b(update|update_columns?|update_attributes!?|assign_attributes|create!?|new|merge!?|insert|upsert|"""
    + r"""save|find_or_create_by!?|get_or_create|update_or_create)\s*\((?:[^()\n]*,)?\s*\w*"""
    + _PII_STORED
    + r"""\w*\s*(:|=(?!=))\s*(?!['"\d\[{(]|true|false|null|nil|none|undefined)[\w$@])"""
)
# A record's personal-data attribute handed on: as the value of a row's or
# payload's key (`'customer': order.email`), or alone as an element of a
# row or an argument list (`record.user.email,`), or as what a helper or
# method gives back (`return user.email`, a Ruby method's last line
# `originator.email`), or read into a name of its own (`customer_email =
# order.email`): what is exported, shown or sent.
_PII_ATTRIBUTE_NAME = r'\w*?' + _PII_STORED + r'(_?(number|no|address(es)?))?\b(?!\s*\()'
# A machine's address is no one's: `server.ip_address`, `node.ipAddress`.
_NOT_A_MACHINE = (
    r'(?![\w$@.?>-]*?(server|host|node|machine|instance|interface|device|gateway|router)s?(\.|->)ip)'
)
_PII_ATTRIBUTE = _NOT_A_MACHINE + r'[\w$@][\w$@.?>-]*?(\.|->)' + _PII_ATTRIBUTE_NAME
PII_PASSED = (
    r"""(?i)(^|[{,])\s*['"]?(?!\w*"""
    + _PII_STORED
    + r""")\w+['"]?\s*(=>|:)\s*"""
    + _PII_ATTRIBUTE
    + r"""\s*(,|\|\||\?\?|\}|$)|^\s*"""
    + _PII_ATTRIBUTE
    + r"""\s*,\s*$|^\s*(return\s+|((const|let|var|my)\s+)?[\w$@]+\s*=\s*)?(?!(process\.env|os\.environ|settings|config)\.)"""
    + _NOT_A_MACHINE
    + r"""[\w$@][\w$@.?>-]*?(\.|->)"""
    + _NOT_A_PERSON
    + _PII_ATTRIBUTE_NAME
    + r"""\s*(;\s*)?$"""
    # A value that continues, on a line of its own, a chain of fallbacks for
    # a key's personal data (`email:` / `recipient.email ||` / `email ||`):
    # which person's data is sent.
    + r"""|^\s*([\w$@]+(\?\.|\.|->))?"""
    + _NOT_A_PERSON
    + _PII_ATTRIBUTE_NAME
    + r"""\s*(\|\||\?\?)\s*$"""
)
# An export of a list of people (contacts, customers, employees, users...):
# their records leave the system (`<x-datagrid.export
# :src="route('admin.contacts.persons.index')" />`, `export_customers_csv()`).
# A JavaScript `export` statement or an `import` line is not an export.
_PEOPLE = (
    r'(persons|people|contacts|customers|employees|patients|members|users|subscribers|candidates|applicants|leads|'
    # The people of a school, an insurer, a charity, a town.
    r'students|learners|guardians|insurees|policyholders|beneficiaries|donors|volunteers|citizens|residents|voters)'
)
_EXPORT = r'((?<!/)export(er|ed|ing)?(?!s\b)|to_?csv|write_?csv|csv_?writer|download_?csv)'
PEOPLE_EXPORTED = (
    r"""(?i)^(?!\s*((export|import|from|require|use|using|package)\b|#|//|/\*|\*|<!--))"""
    + r'(.*'
    + _EXPORT
    + r'.*'
    + _PEOPLE
    + r'|.*'
    + _PEOPLE
    + r'.*'
    + _EXPORT
    + r')'
)
# Personal data masked, hashed, normalised or anonymised (`maskEmail`,
# `normalizePhoneTraits`, `anonymize_ip`, `email_hash`): code that decides
# what form of it is stored or shown.
PII_TRANSFORMED = (
    r'(?i)(normali[sz]e|mask|obfuscate|anonymi[sz]e|pseudonymi[sz]e|redact|scrub|hash|encrypt)(d|ed)?_?'
    r'(user_?|customer_?|contact_?)?(e_?mail|phone|mobile_?number|telephone|ip(_?address)?\b|postal_?code|'
    r'date_?of_?birth|birth_?date|full_?name|ssn)'
    r'|(e_?mail|phone|ip_?address|date_?of_?birth)_?(mask|hash|digest|redact|obfuscat|anonymi[sz])'
)
# Personal-data fields named in a list of field names (a query's selection,
# an export's columns, a display's fields: `["user_id", "personal_email"]`,
# `pluck="date_of_birth"`), and an ORM told a personal-data attribute
# changed (`unconfirmed_email_will_change!`, `changed_attributes["email"]`):
# what is read out, shown or saved.
_PII_FIELD_NAME = (
    '(?:'
    + '|'.join(f'{quote}{_NOT_A_PERSON}[a-z0-9_]*{_PII_STORED}[a-z0-9_]*{quote}' for quote in ("'", '"'))
    + ')'
)
PII_SELECTED = (
    # A list of lower-case field names passed to a call (after `(` or `,`,
    # or continuing its arguments on a line of its own), naming one.
    r"""(^\s*|[(,]\s*)\[[^\]\n]*?['"](?=[a-z_])\w*(?i:"""
    + _PII_STORED
    + r""")\w*['"]\s*[\],]"""
    # The same list kept under a name (`search_fields = ['first_name', ...]`,
    # `CSV_COLUMNS = [...]`); an ordering is not a use of the data.
    + r"""|^\s*(?![\w.]*(?i:order|sort))[\w.]+\s*=\s*[\[(][^\]\n]*?['"](?=[a-z_])\w*(?i:"""
    + _PII_STORED
    + r""")\w*['"]\s*[\],)]"""
    # A line that only continues such a list (the call or the name on the
    # line above): quoted names and commas alone, two names or more, one a
    # lower-case name of personal data (`'name', 'email', 'phone',` inside
    # `->only([`...`])`, `"zipcode", "phone", "email"];`). A run of one
    # character class, not a repeated group: the config's regex check
    # refuses nested quantifiers.
    + r"""|^[\s'"\w,]*['"]\s*,[\s'"\w,]*"""
    + _PII_FIELD_NAME
    + r"""[\s'"\w,]*[\])};]*\s*$|^[\s'"\w,]*"""
    + _PII_FIELD_NAME
    + r"""\s*,\s*['"][\s'"\w,]*[\])};]*\s*$"""
    + r"""|(?i:\b(pluck|only|select|values_list|values)\s*[=(]\s*(\[\s*)?['":]\w*"""
    + _PII_STORED
    + r"""|\b\w*"""
    + _PII_STORED
    + r"""\w*_(will_change!|changed\?|before_type_cast|in_database)|\bchanged_attributes\s*\[\s*['":]\w*"""
    + _PII_STORED
    + ')'
)
# A visitor's IP address taken from a request: a proxy header naming the
# client's address read or listed (`req.headers['x-forwarded-for']`,
# `$_SERVER['REMOTE_ADDR']`, `r.Header.Get("X-Real-Ip")`, the list of
# headers an analytics app tries in turn), a framework's client-IP accessor
# (`req.ip`, `request.remote_ip`, `$request->ip()`, `getClientIp(req)`,
# `c.RealIP()`). Quiet: the header given a value (a test's request, an
# environ being built: `environ["REMOTE_ADDR"] = scope["client"][0]`) or
# defined as a constant (`HeaderXForwardedFor = "X-Forwarded-For"`), a
# server's listen or bind address, a socket's remote address exposed by a
# library.
# The header's name as sent (any case), or as a CGI / WSGI / PHP server
# variable (upper case: a lower-case `remote_addr` is a log field's name).
_CLIENT_IP_HEADER = (
    r'(x-forwarded-for|x-real-ip|cf-connecting-ip|true-client-ip|fastly-client-ip|x-client-ip|'
    r'do-connecting-ip|(?-i:HTTP_X_FORWARDED_FOR|HTTP_X_REAL_IP|HTTP_CF_CONNECTING_IP|HTTP_TRUE_CLIENT_IP|'
    r'HTTP_X_CLIENT_IP|REMOTE_ADDR))'
)
PII_CLIENT_IP = (
    r"""(?i)(?<!=)(?<!=\s)['"]"""
    + _CLIENT_IP_HEADER
    + r"""['"`](?!\s*\]?\s*(:|=>|=(?!=)))"""
    + r"""|(?i:\breq(uest)?\s*(\.|->)\s*(ip|ips|remote_?ip|remote_?addr|client_?ip|ip_?address)\b(?!\s*=(?!=)))"""
    + r"""|(?i:\b(get_?)?(client|real|visitor)_?ip(_?address)?\s*\(|\bget_?remote_?addr\s*\()"""
)
# A person's postal address read, shown or written as a record's attribute
# (`@user.bill_address || Spree::Address.build_default`,
# `order.shippingAddress.city`, `user[bill_address_attributes]`,
# `ship_address_attributes: permitted_address_attributes`). Quiet: a
# translation key or a label (`t('.billing_address')`, `billing_address:
# Billing Address`), a mail server's, a wallet's or a contract's address,
# a server's `ip_address`.
_POSTAL_ADDRESS = r'(bill|ship|billing|shipping|home|mailing|postal|residential|delivery)_?address(es)?'
PII_POSTAL_ADDRESS = (
    r"""(?i)[\w$@)\]]\s*(\?\.|\.|->)\s*"""
    + _POSTAL_ADDRESS
    + r"""\b|(?i:\b"""
    + _POSTAL_ADDRESS
    + r"""_?attributes\b)"""
)
# A person's e-mail, name or phone handed to another component, page or
# service: interpolated into a URL's query string (`?email=${user.email}`,
# `"&name=" + name`), set as a URL parameter (`url.searchParams.set('email',
# email)`), given to an embedded component as a prop (`<EmbedSign
# email={recipient.email} />`, `:email="user.email"`), posted to another
# window (`postMessage({ email, name })`) or told to an analytics or error
# tracker (`analytics.identify(user.id, { email: user.email })`,
# `Sentry.setUser({ email })`). Quiet: a literal query, a label, a form
# field's name (`name={field.name}`), a sender's address.
_PERSON_FIELD = r'(e_?mail|full_?name|first_?name|last_?name|display_?name|phone(_?number)?|date_?of_?birth)'
PII_HANDED_ON = (
    r"""(?i)[?&](e_?mail|name|full_?name|first_?name|last_?name|phone|user_?name)=(\$\{|\{|#\{|['"`]\s*(\+|\.|,))"""
    + r"""|(?i:\b(search_?params|query|params|url_?params)\s*\.\s*(set|append)\(\s*['"](e_?mail|name|full_?name|phone)['"]\s*,\s*(?!['"\d]))"""
    + r"""|(?i:(\s|^)"""
    + _PERSON_FIELD
    + r"""=\{\s*(?![\s'"`\d])[\w$])"""
    + r"""|(?i:(\s|^)(:|v-bind:)"""
    + _PERSON_FIELD
    + r"""="(?![\s'`\d])[\w$])"""
    + r"""|(?i:\bpost_?message\s*\(.*\b"""
    + _PERSON_FIELD
    + r"""\b)|(?i:\b(identify|set_?user|set_?user_?properties|set_?person_?properties|people\.set)\s*\(.*\b"""
    + _PERSON_FIELD
    + r"""\b)"""
)
# Personal-data fields in a GraphQL selection set written on one line
# (`body: '{ list { _id firstName lastName primaryEmail primaryPhone } }'`,
# `gql`query { me { id email } }``): what a query reads out. Two names or
# more, separated by white space alone, so no JavaScript destructuring
# (`{ email, name }`) or block.
PII_QUERIED = (
    # Bounded runs: a long line of words cannot make the search slow.
    r"""(?i)\{\s{0,8}\w{1,64}\s[\w\s]{0,200}?\b\w{0,32}"""
    + _PII_STORED
    + r"""\w{0,32}\b[\w\s]{0,200}\}|(?i:\{\s{0,8}\w{0,32}"""
    + _PII_STORED
    + r"""\w{0,32}\s{1,8}\w[\w\s]{0,200}\})"""
)
# A record holding personal data given back (to a caller, a client): a
# dict or hash literal returned with a personal-data key given a value
# (`return {"name": doc.name, "invited_emails": invited_emails}`), or a
# personal-data entry read out of a nested record and returned
# (`return result["invite_result"]["invited_emails"]`).
PII_RETURNED = (
    r"""(?i)\breturn\s*[{(\[].*['"]\w*"""
    + _PII_STORED
    + r"""\w*['"]\s*(=>|:)\s*(?!['"\d\[{(]|true|false|null|nil|none|undefined)[\w$@]"""
    + r"""|(?i:\breturn\s+[\w$@.]+(\[\s*['"][\w-]+['"]\s*\])?\[\s*['"]\w*"""
    + _PII_STORED
    + r"""\w*['"]\s*\]\s*(;\s*)?$)"""
)
# People searched by their personal data, a partial match rather than a
# lookup of one value: a pattern over phones or e-mails (`{ primaryPhone: {
# $regex: pattern } }`), Django's `email__icontains=`, SQL's `email ILIKE`.
# An exact lookup (`where(email: email)`) is quiet.
PII_SEARCHED = (
    r"""(?i)\b\w*"""
    + _PII_STORED
    + r"""\w*['"]?\s*:\s*\{\s*['"]?\$regex|(?i:\b\w*"""
    + _PII_STORED
    + r"""\w*__i?(contains|startswith|endswith|regex|search|trigram_similar)\b)|(?i:\b\w*"""
    + _PII_STORED
    + r"""\w*['"`]?\s+(not\s+)?i?like\s)"""
)
# Who may read or change people's records: an ability or permission over a
# model of people or their addresses (`can :manage, ::Spree::Address,
# user_id: user.id`, `'customers.view_customer'`).
_PEOPLE_MODEL = r'(address|contact|customer|patient|person|employee|member)(e?s)?'
PEOPLE_ACCESS = (
    r"""(?i)\bcan(not)?\s+(\[[:\w,\s]*\]|:\w+)\s*,\s*[:\w.]*?"""
    + _PEOPLE_MODEL
    + r"""\b|(?i:['"]\w+\.(view|change|delete|add|export)_"""
    + _PEOPLE_MODEL
    + r"""['"])"""
)
# A person's personal data looked up by an id (`s.userManager.PhoneNumbers(u.ID)`,
# `getEmails(userId)`, `find_addresses_by_customer(customer.id)`): which
# person's data is read out. A message sent (`sendEmail(user.id)`) is not.
PII_LOOKED_UP = (
    r"""(?i)(\.|\b)((get|find|fetch|load|list)_?)?"""
    r"""(e_?mail|phone|address|birth_?date|date_?of_?birth)\w*\s*\(\s*[\w$.>-]*?([._]|\b)(id|uid|user_?id)\s*\)"""
)
# A privilege or authority over people's records named as a constant in a
# check (`@Authorized({ PrivilegeConstants.GET_PATIENT_PROGRAMS })`,
# `@PreAuthorize("hasAuthority('VIEW_CUSTOMERS')")`). Case matters: an
# upper-case constant, not a function's name (`get_patient`).
PEOPLE_PRIVILEGE = (
    r"""([Aa]uthori[sz]|[Pp]rivilege|[Pp]ermission|[Aa]uthority|[Hh]as_?[Rr]ole|PRIVILEGE|PERMISSION)[^\n]*?"""
    r"""\b(GET|VIEW|READ|EDIT|UPDATE|DELETE|ADD|CREATE|MANAGE|EXPORT|PURGE|MERGE)_"""
    r"""(PATIENT|PERSON|PEOPLE|CUSTOMER|CONTACT|EMPLOYEE|MEMBER|ADDRESS)(E?S)?(_[A-Z]\w*)?\b"""
)
# A changed line inside a validator or normaliser of a personal-data value:
# the function (a Django form's `clean_value`, a `validatePhone`) refuses a
# value with a message naming the data. Definitions, then what the body says.
DEFINITION_LINE = (
    r"""^\s*((async\s+)?def|func|function|fn|sub|(public|private|protected|internal|static|override|async|export)\s+((static|override|async|final|virtual|synchronized)\s+)?[\w<>\[\]?,.]+)\s+"""
    r"""(\([^)]*\)\s*)?\w+\s*[(<]"""
)
PII_VALIDATION = (
    r"""(?i)\b(invalid|not[ \t]+an?[ \t]+(valid|supported)|malformed|unrecogni[sz]ed)[ \t]+([\w-]+[ \t]+)?([\w-]+[ \t]+)?"""
    r"""(e-?mail|phone|mobile|postal[ \t]+code|zip[ \t]+code|post[ \t]+code|birth|ssn|iban|passport)"""
)
_PII_LOGGED_WORD = r'\w*(e_?mail|phone(_?number)?|date_?of_?birth|ssn|ip_?address|card_?number|iban)\b'
PII_LOGGED = (
    # After the call's last string (a word in a message is not the data),
    # or interpolated into a template string (`${user.email}`).
    r"""(?i)\b(log|logger|logging|console|slog|zap|logrus)\b\.?\w*\s*\(.*([^"'`\w.](\w+\.)?"""
    + _NOT_A_PERSON
    + _PII_LOGGED_WORD
    + r"""[^"'`]*\)[^`\n]*$|\$\{\s*([\w$]+\??\.)?([\w$]+\??\.)?"""
    + _NOT_A_PERSON
    + _PII_LOGGED_WORD
    + r')'
)


TRIGGERS: dict[str, dict[str, Any]] = {
    'new-files': {
        'enabled': True,
        # Fires when the change adds (or copies) more than this many files.
        'more_than': 5,
    },
    'architecture': {
        'enabled': True,
        # A path added under a top-level directory the base did not have.
        'new_top_level_dirs': True,
        # Adding one of these starts a new package or module boundary.
        'boundary_files': [
            '__init__.py',
            'package.json',
            'go.mod',
            'Cargo.toml',
            'pyproject.toml',
            'setup.py',
            'pom.xml',
            'build.gradle',
            'build.gradle.kts',
            '*.csproj',
            'composer.json',
            'Gemfile',
            'mix.exs',
            'deno.json',
        ],
        # Manifests whose declared dependency set is compared before/after.
        # A project version bump or reformatting leaves the set unchanged.
        'manifests': [
            'pyproject.toml',
            'requirements*.txt',
            'requirements/*.txt',
            'Pipfile',
            'setup.cfg',
            'package.json',
            'go.mod',
            'Cargo.toml',
            'Gemfile',
            'pom.xml',
            'composer.json',
            'build.gradle',
            'build.gradle.kts',
        ],
        # Infrastructure, deployment and schema definitions.
        'paths': [
            'Dockerfile',
            'Dockerfile.*',
            '*.dockerfile',
            'Containerfile',
            'docker-compose*.yml',
            'docker-compose*.yaml',
            'compose.yml',
            'compose.yaml',
            'compose.*.yml',
            'compose.*.yaml',
            '*.tf',
            '*.tfvars',
            '*.hcl',
            'terragrunt.hcl',
            'Chart.yaml',
            'values*.yaml',
            'charts/',
            'helm/',
            'k8s/',
            'kubernetes/',
            'kustomization.yaml',
            'kustomization.yml',
            'serverless.yml',
            'serverless.yaml',
            'cdk.json',
            'Pulumi.yaml',
            'template.yaml',
            'cloudformation/',
            'ansible/',
            'playbook*.yml',
            'migrations/',
            'migrate/',
            'db/migrate/',
            'alembic/',
            'schema.sql',
            '*.schema.sql',
            'schema.prisma',
            'schema.rb',
            'structure.sql',
            'flyway/',
            'liquibase/',
            'nginx.conf',
            'Procfile',
            'fly.toml',
            'vercel.json',
            'netlify.toml',
            'app.yaml',
            'skaffold.yaml',
            '.gitmodules',
        ],
        # Kubernetes manifests outside the folders above, by content.
        'line_patterns': {
            'Kubernetes manifest': r'^kind:\s*(Deployment|StatefulSet|DaemonSet|Service|Ingress|CronJob|Job|ConfigMap|Secret|Role|ClusterRole|RoleBinding|ClusterRoleBinding|NetworkPolicy|CustomResourceDefinition|HorizontalPodAutoscaler)\s*$',
        },
        'line_pattern_paths': ['*.yaml', '*.yml'],
    },
    'governance': {
        'enabled': True,
        'paths': [
            'CLAUDE.md',
            'CLAUDE.local.md',
            '.claude/',
            'AGENTS.md',
            'AGENT.md',
            'GEMINI.md',
            'ARCHITECTURE.md',
            '.cursorrules',
            '.cursor/rules/',
            '.github/copilot-instructions.md',
            '.github/instructions/',
            '.windsurfrules',
            '.windsurf/rules/',
            '.clinerules',
            '.clinerules/',
            '/CODEOWNERS',
            '/.github/CODEOWNERS',
            '/docs/CODEOWNERS',
            'SECURITY.md',
            *ADR_DIRS,
            '/.github/workflows/',
            '/.gitlab-ci.yml',
            '/.gitlab/ci/',
            '/.circleci/',
            '/Jenkinsfile',
            '/azure-pipelines.yml',
            '/.buildkite/',
            '/bitbucket-pipelines.yml',
            '/.travis.yml',
            '/.pre-commit-config.yaml',
            '/.review-trigger.yaml',
            '/.review-trigger.yml',
            # Agent instructions and configuration, wherever they live.
            '.codex/',
            '.gemini/',
            '.cursor/',
            '.agents/',
            '.windsurf/',
            'SKILL.md',
            '/.github/prompts/',
            '/.github/agents/',
            '*.prompt.md',
            '*.chatmode.md',
            'REVIEW.md',
            'CONTRIBUTING.md',
            # How git shows a change, and the CI's own building blocks.
            '.gitattributes',
            '/.github/actions/',
        ],
        # A CI or hook configuration change that only moves `uses:` or
        # `rev:` pins (a dependabot-style bump) does not fire; that check
        # is built in. A `review-trigger: ignore[...]` the change adds
        # fires: the change edits its own review rules.
        # pyproject.toml fires governance only when its [tool.review-trigger]
        # table changes; that check is built in.
    },
    'security': {
        'enabled': True,
        # Path words. They count for code and configuration, not for
        # documents, translations or manifests (see NOT_CODE).
        'words': [
            'auth',
            'authn',
            'authz',
            'oauth',
            'oauth2',
            'oauthlib',
            'oidc',
            'saml',
            'sso',
            'mfa',
            '2fa',
            'totp',
            'authenticate',
            'authentication',
            'authenticator',
            'authorize',
            'authorization',
            'authorizer',
            'login',
            'logout',
            'signin',
            'signon',
            'session',
            'jwt',
            'jwk',
            'jwks',
            'token',
            'password',
            'passwd',
            'passphrase',
            'credential',
            'secret',
            'api key',
            'apikey',
            'private key',
            'secret key',
            'keystore',
            'keychain',
            'keyring',
            'vault',
            'kms',
            'crypto',
            'cryptography',
            'encrypt',
            'encryption',
            'decrypt',
            'decryption',
            'cipher',
            'hmac',
            'hash password',
            'bcrypt',
            'argon2',
            'scrypt',
            'pbkdf2',
            'tls',
            'ssl',
            'certificate',
            'cert',
            'permission',
            'rbac',
            'abac',
            'acl',
            'csrf',
            'xsrf',
            'cors',
            'sanitize',
            'sanitizer',
            'privilege',
            'impersonate',
            'cookie',
            'secure headers',
            'security headers',
            'helmet',
            'csp',
            'webauthn',
            'passkey',
            'rate limit',
            'rate limiter',
            'ratelimit',
            'throttle',
            'body limit',
            'ip restriction',
            'ip filter',
            'firewall',
            # One-word compounds the word splitter cannot see into.
            'authtoken',
            'passwordreset',
            'resetpassword',
            'accesstoken',
            'refreshtoken',
            'apitoken',
            'authcode',
        ],
        # Identifier words in added (and removed) lines of code: auth logic
        # and its headers, tokens and limits, wherever the file lives.
        'identifiers': [
            'authorize',
            'authorized',
            'authorization',
            'authorizer',
            'unauthorized',
            'authenticate',
            'authenticated',
            'authentication',
            'unauthenticated',
            'authenticator',
            'permission',
            'has permission',
            'has perm',
            'has role',
            'has any role',
            'route role',
            'user role',
            'required role',
            'roles allowed',
            'is admin',
            'is superuser',
            # Who may act without signing in: a guest or anonymous user.
            'is anonymous',
            'allow anonymous',
            'anonymous access',
            'is guest',
            'allow guest',
            'guest access',
            'is staff',
            'require admin',
            'admin required',
            'login required',
            'require login',
            'permission required',
            'access control',
            # Row-level security: which rows a user may read (`ROW_SECURITY`,
            # Postgres `ENABLE ROW LEVEL SECURITY`, `row_level_security`).
            'row security',
            'row level security',
            'can view',
            'can edit',
            'can update',
            'can delete',
            'can manage',
            'can access',
            'csrf',
            'xsrf',
            'same site',
            'samesite',
            'http only',
            'httponly',
            'set cookie',
            'cookie',
            'bearer',
            'www authenticate',
            'proxy authorization',
            'sensitive header',
            'http auth',
            'basic auth',
            'proxy auth',
            'digest auth',
            'access token',
            'refresh token',
            'id token',
            'reset token',
            'confirmation token',
            'auth token',
            'api token',
            'bearer token',
            'csrf token',
            'session token',
            'session cookie',
            'session id',
            'hash password',
            'password hash',
            'hashed password',
            'encrypted password',
            'password digest',
            'check password',
            'verify password',
            'set password',
            'change password',
            'reset password',
            'password reset',
            'password confirmation',
            'mask password',
            'mask credentials',
            'redact credentials',
            'one time password',
            'otp code',
            'totp',
            'hotp',
            'mfa',
            'two factor',
            'webauthn',
            'passkey',
            'secure compare',
            'constant time compare',
            'compare digest',
            'timing safe equal',
            'hmac',
            'jwt',
            'jwk',
            'jwks',
            'oauth',
            'oidc',
            'saml',
            'tls',
            'ssl',
            'api key',
            'secret key',
            'private key',
            'client secret',
            'signing key',
            'encryption key',
            'rate limit',
            'rate limiter',
            'ratelimit',
            'body limit',
            'bytesize limit',
            'max body size',
            'max request size',
            'max content length',
            'max upload size',
            'max bytes reader',
            # The credential actions/checkout leaves in the git config.
            'extraheader',
            'persist credentials',
            'max ranges',
            'xss',
            'open redirect',
            'path traversal',
            'directory traversal',
            # Server-side request forgery guards: which addresses a fetch
            # of a user-given URL may reach.
            'ssrf',
            'blocked ip',
            'blocked ipv',
            'blocked url',
            'blocked host',
            'private ip',
            'private ipv',
            # The client address taken from spoofable proxy headers.
            'x forwarded for',
            'x real ip',
            'true client ip',
            'cf connecting ip',
            'x client ip',
            'impersonate',
            'privilege',
        ],
        # Unsafe patterns and crypto/auth imports in added lines of code.
        # The matched text is never reported, only the rule name, file and line.
        'line_patterns': {
            'TLS verification disabled': r"""\bverify\s*=\s*False\b|InsecureSkipVerify\s*:\s*true|rejectUnauthorized['"]?\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|_create_unverified_context|\bCERT_NONE\b|check_hostname\s*=\s*False|danger_accept_invalid_(certs|hostnames)\s*\(\s*true|VERIFY_NONE|strictSSL['"]?\s*:\s*false|\bTrustAllCerts|NoopHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER|--insecure\b|\bcurl\b.*\s-k\b""",
            'shell command run through a shell': r'''\bshell\s*=\s*True\b|\bos\.(system|popen)\s*\(|\bsubprocess\.(getoutput|getstatusoutput)\s*\(|\bchild_process\b|\bexecSync\s*\(|\bexec\s*\(\s*`|Runtime\.getRuntime\(\)\.exec\s*\(|\bIO\.popen\s*\(|\bKernel\.(system|exec)\s*\(|\b(shell_exec|passthru|proc_open|popen)\s*\(\s*\$|%x\{|\bexec\.Command\(\s*"(sh|bash|cmd)"''',
            'eval of dynamic code': r"""(^|[^\w.$])(eval|exec)\s*\(\s*[^)\s'"]|\bnew\s+Function\s*\(|\b(instance_eval|class_eval|module_eval)\s*\(\s*[^)]|\bvm\.runIn\w*Context\s*\(""",
            'SQL built by string formatting': r"""(?i)(\bf["']|`|\bSprintf\(\s*["`]|["'])\s*(select\s.*\bfrom\b|insert\s+into\b|update\s+[\w."\[\]`]+\s+set\b|delete\s+from\b|pragma\s|(create|drop|alter)\s+(table|index|view)\b).*(\{|#\{|\$\{|\$[a-z_]|%[sd(]|["'`]\s*(\+|%|\.format\()|\s\+\s)|\.(where|order|find_by_sql|execute|exec_query|joins|group|having|raw)\(\s*["'][^"']*(#\{|["']\s*\+)""",
            'unsafe deserialisation': r"""\b(c?pickle|dill|cloudpickle|jsonpickle)\.(loads?|decode|Unpickler)\b|\bjoblib\.load\(|\bshelve\.open\(|\byaml\.(unsafe_)?load(_all)?\s*\(|\bYAML\.(unsafe_)?load\s*\(|\bMarshal\.(load|restore)\b|\bObjectInputStream\b|\.readObject\(\)|\bunserialize\s*\(|\bBinaryFormatter\b|\btorch\.load\s*\(|\bnode-serialize\b""",
            'HTML inserted without escaping': r"""dangerouslySetInnerHTML|\.(inner|outer)HTML\s*\+?=|insertAdjacentHTML\s*\(|document\.write(ln)?\s*\(|\bv-html\s*=|\|\s*safe\b|\bmark_safe\s*\(|\.html_safe\b|\bhtml_safe\b|\bMarkup\s*\(|bypassSecurityTrust\w*\s*\(|\btemplate\.(HTML|JS)\s*\(|<%==|\{\{\{""",
            'CSRF protection disabled': r"""\bcsrf_exempt\b|csrf\.exempt|skip_before_action\s+:verify_authenticity_token|skip_forgery_protection|protect_from_forgery\s.*(except|null_session)|csrf\(\)\.disable\(\)|\bcsrf\s*[:=]\s*[Ff]alse|CSRF_ENABLED\s*=\s*False""",
            'CORS opened to any origin': r'''(?i)access-control-allow-origin['"\]]*\s*[:,=]\s*['"]?\*|allow_origins\s*=\s*\[\s*['"]\*|allow_all_origins|CORS_ORIGIN_ALLOW_ALL\s*=\s*True|AllowAllOrigins\s*:\s*true|AllowOrigins\s*:\s*\[\]string\{\s*"\*"|\borigins?\s*[:=(]\s*(?:\[\s*)?['"]\*['"]|allowedOrigins\(\s*"\*"''',
            'JWT signature verification disabled': r"""(?i)verify_signature['"]?\s*[:=]\s*False|verify_exp['"]?\s*[:=]\s*False|algorithms?\s*[:=]\s*(?:\[\s*)?['"]none['"]|\balg['"]?\s*[:=]\s*['"]none['"]|ignoreExpiration['"]?\s*:\s*true|ParseUnverified|decode_without_verif|jwt\.decode\([^)]*verify\s*=\s*False""",
            # A password assigned through a hashing or encoding call
            # (`user.password = "x".encodeAsPassword()`, `user.password =
            # bcrypt.hashpw(raw, salt)`): what form of it is stored. A setter
            # (`user.setPassword(...)`) is the `set password` identifier's.
            'password hashed when set': r"""(?i)\b\w*(password|passwd)\w*\s*=(?!=)[^\n]*?(encode(?!uri)|hash|digest|encrypt|bcrypt|argon2|scrypt|pbkdf2)\w*\s*\(""",
            'weak hash near a password': r"""(?i)\b(md5|sha1)\b.{0,40}\b(password|passwd|pwd)|\b(password|passwd|pwd)\w*\b.{0,40}\b(md5|sha1)\b""",
            'authorization check': r"""\.(admin|superuser|staff)\?|@Secured\b|\bauthorize!|\bcan\?\s*\(?:\w+""",
            # A file path made from request input, and the guards that keep
            # it inside its root: `path.Clean("/" + p)`, `safe_join`,
            # `filepath.Rel`, `'..' in name`, `fs.Sub`.
            'path traversal guard': r"""\b(path|filepath)\.(Clean|Rel|IsLocal|Localize)\s*\(|\bfs\.(Sub|ValidPath)\s*\(|\bos\.DirFS\s*\(|\bos\.path\.(normpath|realpath|abspath|commonpath)\s*\(|\b(safe_join|secure_filename|send_from_directory)\s*\(|\.resolve\(\)\.relative_to\(|\bis_relative_to\s*\(|(==|!=|\bin|contains|Contains|includes|startsWith|start_with\?|HasPrefix)\s*(\(\s*(\w+\s*,\s*)?)?['"]\.\.[/\\\\]?['"]|['"]\.\.[/\\\\]?['"]\s*(\bin\b|==|!=|===|!==)""",
            # A copy of a record with its credential field set, cleared or
            # stripped: what a form, a response or a log gets of a user
            # (`{ ...user, password: '' }`, `const { password, ...rest } = user`).
            'credential field of a copied record': r"""(?i)\.\.\.\s*[\w.?]+\s*,\s*['"]?\w*(password|passwd|pass_?hash|secret|api_?key|access_?token|refresh_?token|auth_?token)\w*['"]?\s*:|\*\*\s*[\w.]+\s*,\s*['"]\w*(password|passwd|pass_?hash|secret|api_?key|access_?token|refresh_?token|auth_?token)\w*['"]\s*:|[{,]\s*\w*(password|passwd|pass_?hash|secret|api_?key|access_?token|refresh_?token|auth_?token)\w*\s*(:\s*\w+\s*)?,\s*\.\.\.\w+\s*\}\s*=|\.(except|without|omit|makeHidden)\s*\(\s*(\[\s*)?[:'"]\w*(password|passwd|pass_?hash|secret|api_?key|access_?token|refresh_?token)""",
            # Arguments quoted for a shell, or the quoting taken away:
            # whether a name, a tag or a path from outside can become a
            # command (`shlex.quote(check.name)`, `escapeshellarg($file)`).
            'shell argument quoted': r"""\b(shlex\.(quote|join)|pipes\.quote|escapeshell(arg|cmd)|Shellwords\.(escape|shellescape|join)|shellescape|shell_?quote|ShellQuote|shell-quote)\b""",
            # A secret drawn from a random source: whether it is drawn from
            # a cryptographic one (`token = RandomStringUtils.random...`,
            # `const salt = crypto.randomBytes(16)`, `key = secrets.token_hex()`).
            'secret drawn from a random source': r"""(?i)\b(?!(max|num|total|input|output|prompt|completion|context)_?tokens?\b)\w*(token|secret|nonce|salt|password|passwd|api_?key|activation_?key|reset_?key|verification_?code|otp_?code|session_?id)\w*['"]?\s*(:=|=(?!=)|:)[^=\n]*?(rand\w*|secrets\.token_\w+|uuid4|randomUUID|urandom)\s*[.(]""",
            # The address ranges an outgoing request must not reach (SSRF):
            # loopback, link-local and cloud-metadata addresses, private
            # networks tested for (`IPAddress.IsLoopback(ip)`,
            # `169.254.0.0/16`, `ip.IsLinkLocalUnicast()`).
            'internal address range checked': r"""\b169\.254\.\d|\b(IsLoopback|is_loopback|isLoopbackAddress|IsLinkLocalUnicast|IsLinkLocalMulticast|is_link_local|isLinkLocalAddress|isSiteLocalAddress|isAnyLocalAddress|IsPrivateIP|isPrivateIP|is_private_ip|isPrivateAddress|is_private_address)\b""",
            # GitHub Actions: text anyone can write (an issue's title, a
            # pull request's body, a branch name, a commit message) put into
            # a command or a script by an expression, which GitHub expands
            # before the shell reads it (script injection); and a workflow on
            # pull_request_target, which runs with the base repository's
            # secrets and write token for a fork's pull request.
            'untrusted event text in a workflow command': r"""\$\{\{\s*github\.(head_ref|event\.(issue\.(title|body)|pull_request\.(title|body|head\.(ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|discussion\.(title|body)|pages\.[^}]*page_name|(head_commit|workflow_run\.head_commit)\.(message|author\.(email|name))|commits\.[^}]*(message|author\.(email|name))|workflow_run\.(head_branch|display_title)))\b""",
            'workflow run on pull_request_target': r"""^\s*(on:\s*)?(\[[^\]#]*|-\s*)?\bpull_request_target\b""",
            'security advisory referenced': r"""\bCVE-\d{4}-\d{4,7}\b|\bGHSA-[23456789cfghjmpqrvwx]{4}-[23456789cfghjmpqrvwx]{4}-[23456789cfghjmpqrvwx]{4}\b""",
            'crypto/auth import (Python)': r'^\s*(from|import)\s+(jwt|ssl|hmac|secrets|hashlib|cryptography|Crypto|Cryptodome|nacl|bcrypt|passlib|argon2|oauthlib|authlib|jose|itsdangerous|paramiko|keyring|django\.contrib\.auth|flask_login|flask_jwt_extended|fastapi\.security)\b',
            'crypto/auth import (JavaScript)': r"""(require\(|from\s+|import\s+)['"](crypto|node:crypto|jsonwebtoken|jose|bcrypt|bcryptjs|argon2|passport[^'"]*|next-auth|@auth/[^'"]+|express-session|helmet|tls|node:tls|crypto-js|@okta/[^'"]+|oidc-client[^'"]*|@azure/msal[^'"]*)['"]""",
            'crypto/auth import (Go)': r'''^\s*(import\s+)?(\w+\s+)?"(crypto/[^"]+|golang\.org/x/crypto[^"]*|golang\.org/x/oauth2[^"]*|github\.com/golang-jwt/[^"]+|github\.com/coreos/go-oidc[^"]*)"''',
            'crypto/auth import (Java/Kotlin)': r'^\s*import\s+(javax\.crypto|java\.security|javax\.net\.ssl|org\.springframework\.security|io\.jsonwebtoken|org\.bouncycastle|com\.auth0)\b',
            'crypto/auth import (Rust)': r'^\s*use\s+(ring|rustls|openssl|jsonwebtoken|argon2|bcrypt|sha2|hmac|aes_gcm|ed25519_dalek|oauth2)\b',
            'crypto/auth import (Ruby)': r"""^\s*require\s+['"](openssl|jwt|bcrypt|devise|digest|omniauth[^'"]*)['"]""",
            'crypto/auth import (C#)': r'^\s*using\s+(System\.Security\.Cryptography|Microsoft\.AspNetCore\.Authentication|Microsoft\.AspNetCore\.Authorization|Microsoft\.IdentityModel)\b',
        },
        # Secret shapes: run on every added line, vendored and generated
        # files included (lock files aside). A value that is an obvious
        # placeholder (PLACEHOLDER) is not a credential. The shapes cover
        # the default rules of detect-secrets and gitleaks' prefixed tokens.
        'secret_patterns': {
            'private key block': r'-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----',
            'AWS access key id': r'\b(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[0-9A-Z]{16}\b',
            'AWS secret access key': r"""(?i)aws_?secret_?(access_?)?key['"]?\s*[:=]\s*['"]?[A-Za-z0-9/+]{40}\b""",
            'GitHub token': r'\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b',
            'GitLab token': r'\b(glpat|gldt|glrt|glptt|glft|glsoat|glcbt|gloas|glimt|glagent|glffct)-[0-9A-Za-z_-]{20,}',
            'Slack token': r'\b(xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})',
            'Slack webhook URL': r'hooks\.slack\.com/(services|workflows|triggers)/[A-Za-z0-9+/]{20,}',
            'Microsoft Teams webhook URL': r'\.webhook\.office\.com/webhookb2/[0-9a-f-]{20,}',
            'Discord webhook URL': r'discord(app)?\.com/api/webhooks/\d+/[\w-]{20,}',
            'Stripe secret key': r'\b[rs]k_(live|test|prod)_[A-Za-z0-9]{16,}',
            'Google API key': r'\bAIza[0-9A-Za-z_\-]{35}\b',
            'Anthropic API key': r'\bsk-ant-(api|admin|sid)\d\d-[A-Za-z0-9_-]{20,}',
            'OpenAI API key': r'\bsk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}',
            'Hugging Face token': r'\b(hf|api_org)_[A-Za-z]{34}\b',
            'npm token': r'\bnpm_[A-Za-z0-9]{36}\b',
            'PyPI token': r'\bpypi-AgEIcHlwaS5vcmc[\w-]{50,}',
            'RubyGems token': r'\brubygems_[a-f0-9]{48}\b',
            'SendGrid API key': r'\bSG\.[\w-]{22}\.[\w-]{43}\b',
            'Twilio API key': r'\bSK[0-9a-fA-F]{32}\b',
            'Mailchimp API key': r'\b[0-9a-f]{32}-us\d{1,2}\b',
            'Telegram bot token': r'\b\d{8,10}:AA[0-9A-Za-z_-]{33}\b',
            'Square token': r'\b(sq0atp|sq0csp)-[0-9A-Za-z_-]{22,}|\bEAAA[\w-]{60}',
            'Shopify token': r'\bshp(at|ca|pa|ss)_[a-fA-F0-9]{32}\b',
            'DigitalOcean token': r'\bdo[opr]_v1_[a-f0-9]{64}\b',
            'Databricks token': r'\bdapi[a-f0-9]{32}\b',
            'HashiCorp Vault token': r'\bhv[sb]\.[\w-]{90,}',
            'Doppler token': r'\bdp\.(pt|st|ct|sa|scim)\.[A-Za-z0-9]{40,}',
            'Grafana token': r'\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,})',
            'Sentry token': r'\bsntry[su]_[\w+/=]{40,}',
            'Linear API key': r'\blin_api_[A-Za-z0-9]{40}\b',
            'Postman API key': r'\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b',
            'Pulumi token': r'\bpul-[a-f0-9]{40}\b',
            'Perplexity API key': r'\bpplx-[A-Za-z0-9]{48}\b',
            'Notion token': r'\bntn_\d{11}[A-Za-z0-9]{35}\b',
            'Heroku API key': r'\bHRKU-AA[0-9a-zA-Z_-]{58}\b',
            'Artifactory API key': r'\bAKCp[A-Za-z0-9]{69}\b',
            'age secret key': r'\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b',
            'Azure storage account key': r"""(?i)\bAccountKey\s*=\s*[A-Za-z0-9+/]{40,}={0,2}""",
            'Azure AD client secret': r"""(^|['"`\s>=:(,])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}($|['"`\s<),])""",
            'JSON web token': r'\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}',
            'credentials in URL': r'[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"\']+:[^/\s@"\']+@[^/\s"\']+',
            'Authorization header with a literal credential': r"""(?i)\bauthorization['"]?\s*[:=,]\s*['"]?(basic|bearer|token)\s+[A-Za-z0-9+/=._~-]{16,}""",
            'credential assignment': r"""(?i)\b[a-z0-9_.-]*(password|passwd|pwd|secret|api_?key|access_?key|private_?key|client_?secret|auth_?token|access_?token|bearer)[a-z0-9_]*['"]?\s*(:=|=>|=|:)\s*[rbu]?(['"])[^'"\s]{4,}\3""",
        },
        # Unquoted assignments, in the files where a value needs no quotes:
        # .env and shell files, YAML, INI, TOML, properties.
        'config_patterns': {
            'credential assignment (unquoted)': r"""(?i)^\s*(export\s+|-\s+)?[a-z0-9_.-]*(password|passwd|pwd|secret|api_?key|access_?key|private_?key|client_?secret|auth_?token|access_?token|secret_?key)[a-z0-9_.-]*\s*[:=]\s*[^\s'"$<>{}()\[\],;#|&*!%@`]{6,}\s*$""",
        },
        'config_paths': [
            '.env',
            '.env.*',
            '*.env',
            '.envrc',
            '*.sh',
            '*.bash',
            '*.zsh',
            '*.yml',
            '*.yaml',
            '*.ini',
            '*.cfg',
            '*.conf',
            '*.toml',
            '*.properties',
            '*.tfvars',
            '.npmrc',
            '.pypirc',
            'Dockerfile',
            'Dockerfile.*',
        ],
    },
    'document': {
        'enabled': True,
        'paths': [
            '*.md',
            '*.markdown',
            '*.mdx',
            '*.rst',
            '*.adoc',
            '*.asciidoc',
            '*.txt',
            '*.org',
            '*.tex',
            '*.ipynb',
        ],
        # Not documents for this rule, even though they end in .txt/.md.
        'not_paths': [
            'requirements*.txt',
            'CHANGELOG*',
            'CHANGES*',
            'HISTORY*',
            'NEWS*',
            'LICENSE*',
            'COPYING*',
            'NOTICE*',
            'AUTHORS*',
            'CONTRIBUTORS*',
            'CMakeLists.txt',
            'robots.txt',
            '*.in.txt',
            'testdata/',
            'fixtures/',
            'snapshots/',
            '__snapshots__/',
            'cassettes/',
            'golden/',
        ],
        'adr_dirs': list(ADR_DIRS),
        # A new document of at least this many lines.
        'new_min_lines': 40,
        # An existing document that grew (added minus deleted lines) by at
        # least this many lines, or by growth_percent of its previous length
        # (and at least growth_min_lines lines), or that was mostly
        # rewritten (this many lines added, most of the old ones deleted).
        'expanded_min_lines': 80,
        'growth_percent': 50,
        'growth_min_lines': 20,
    },
    'sensitive-data': {
        'enabled': True,
        # Path words: financial, health and personal data.
        'words': [
            'payment',
            'billing',
            'invoice',
            'payroll',
            'bank',
            'banking',
            'checkout',
            'refund',
            'ledger',
            'wallet',
            'creditcard',
            'credit card',
            'pci',
            'stripe',
            'paypal',
            'payout',
            'salary',
            'patient',
            'medical',
            'healthcare',
            'health record',
            'health data',
            'hipaa',
            'phi',
            'clinical',
            'diagnosis',
            'prescription',
            'ehr',
            'emr',
            'fhir',
            'gdpr',
            'ccpa',
            'pii',
            'kyc',
            'aml',
            'personal data',
            'personal information',
            'consent',
            'ssn',
            'tax',
            'vcard',
            'v card',
            'carddav',
            'address book',
            'addressbook',
            'contact information',
            'contact address',
            'contact addresses',
            'data export',
            'data exporter',
            # A list of people brought in: their records enter the system.
            'customer import',
            'customers import',
            'import customers',
            'customer importer',
            'contact import',
            'contacts import',
            'import contacts',
            'contact importer',
            'patient import',
            'import patients',
            'employee import',
            'import employees',
        ],
        # Identifier words in added lines of code (same word splitting).
        'identifiers': [
            'ssn',
            'social security number',
            'social security no',
            'date of birth',
            'dob',
            'birth date',
            'birthdate',
            'passport number',
            'passport no',
            'national id',
            'driver license',
            'drivers license',
            'credit card number',
            'card number',
            'cvv',
            'cvc',
            'card verification',
            'iban',
            'bic',
            'swift code',
            'routing number',
            'account number',
            'bank account',
            'tax id',
            'tin',
            'vat number',
            'salary',
            'income',
            'diagnosis',
            'medical record',
            'medical history',
            'prescription',
            'patient id',
            'patient identifier',
            'mrn',
            'health record',
            'insurance number',
            'blood type',
            'allergies',
            'ethnicity',
            'sexual orientation',
            'biometric',
        ],
        # Personal-data fields (email, phone, postal address, name, birth
        # date, an IP address stored with a record...) in data definitions:
        # ORM and model fields, struct fields and tags, migration and SQL
        # columns, schema keys, serializers, and in what is logged.
        'line_patterns': {
            'personal-data column in a migration or schema': PII_COLUMN,
            'personal-data field in a model, struct or schema': PII_FIELD,
            'personal data logged': PII_LOGGED,
            'personal-data key in a record or payload': PII_KEY,
            'personal-data fields selected or saved': PII_SELECTED,
            "a record's personal data passed on": PII_PASSED,
            'personal data masked or normalised': PII_TRANSFORMED,
            'a list of people exported': PEOPLE_EXPORTED,
            "a visitor's IP address taken from a request": PII_CLIENT_IP,
            "a person's postal address read or written": PII_POSTAL_ADDRESS,
            "a person's e-mail or name handed to another page or service": PII_HANDED_ON,
            'personal-data fields queried': PII_QUERIED,
            'a record of personal data given back': PII_RETURNED,
            'people searched by their personal data': PII_SEARCHED,
            "access to people's records": PEOPLE_ACCESS,
            "a person's personal data looked up by id": PII_LOOKED_UP,
            "access to people's records (a privilege)": PEOPLE_PRIVILEGE,
        },
    },
}

# Files review-trigger suggests loading as context when they exist.
CONTEXT_FILES = (
    'ARCHITECTURE.md',
    'CLAUDE.md',
    'AGENTS.md',
    'AGENT.md',
    'GEMINI.md',
    '.github/copilot-instructions.md',
    '.cursorrules',
    '.windsurfrules',
    'SECURITY.md',
    'CONTRIBUTING.md',
)

# Files above this size (bytes of added text) are listed but not scanned.
MAX_SCAN_BYTES = 1_000_000

# The model-to-tier and task-type-to-tier tables are the routing table's:
# review_trigger/routing/table.py.
