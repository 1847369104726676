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

# Files that never fire content rules (and never fire the word-based path
# rules): lock files, vendored and generated code.
GENERATED = (
    '*.lock', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml',
    'yarn.lock', 'go.sum', 'Cargo.lock', 'poetry.lock', 'uv.lock',
    'Pipfile.lock', 'composer.lock', 'Gemfile.lock', 'packages.lock.json',
    'vendor/', 'third_party/', 'third-party/', 'node_modules/',
    '*.min.js', '*.min.css', '*.map', '*_pb2.py', '*_pb2_grpc.py', '*.pb.go',
    '*.generated.*', '*.g.dart', 'dist/', '__snapshots__/', '*.snap',
)

ADR_DIRS = (
    'docs/adr/', 'doc/adr/', 'docs/adrs/', 'docs/decisions/', '/adr/',
    '/adrs/', 'architecture/decisions/', 'docs/architecture/decisions/',
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
            '__init__.py', 'package.json', 'go.mod', 'Cargo.toml',
            'pyproject.toml', 'setup.py', 'pom.xml', 'build.gradle',
            'build.gradle.kts', '*.csproj', 'composer.json', 'Gemfile',
            'mix.exs', 'deno.json',
        ],
        # Manifests whose declared dependency set is compared before/after.
        # A project version bump or reformatting leaves the set unchanged.
        'manifests': [
            'pyproject.toml', 'requirements*.txt', 'requirements/*.txt',
            'Pipfile', 'setup.cfg', 'package.json', 'go.mod', 'Cargo.toml',
            'Gemfile', 'pom.xml', 'composer.json', 'build.gradle',
            'build.gradle.kts',
        ],
        # Infrastructure, deployment and schema definitions.
        'paths': [
            'Dockerfile', 'Dockerfile.*', '*.dockerfile', 'Containerfile',
            'docker-compose*.yml', 'docker-compose*.yaml', 'compose.yml',
            'compose.yaml', 'compose.*.yml', 'compose.*.yaml',
            '*.tf', '*.tfvars', '*.hcl', 'terragrunt.hcl',
            'Chart.yaml', 'values*.yaml', 'charts/', 'helm/', 'k8s/',
            'kubernetes/', 'kustomization.yaml', 'kustomization.yml',
            'serverless.yml', 'serverless.yaml', 'cdk.json', 'Pulumi.yaml',
            'template.yaml', 'cloudformation/', 'ansible/', 'playbook*.yml',
            'migrations/', 'migrate/', 'db/migrate/', 'alembic/',
            'schema.sql', '*.schema.sql', 'schema.prisma', 'schema.rb',
            'structure.sql', 'flyway/', 'liquibase/', 'nginx.conf',
            'Procfile', 'fly.toml', 'vercel.json', 'netlify.toml',
            'app.yaml', 'skaffold.yaml',
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
            'CLAUDE.md', 'CLAUDE.local.md', '.claude/', 'AGENTS.md',
            'AGENT.md', 'GEMINI.md', 'ARCHITECTURE.md', '.cursorrules',
            '.cursor/rules/', '.github/copilot-instructions.md',
            '.github/instructions/', '.windsurfrules', '.windsurf/rules/',
            '.clinerules', '.clinerules/', '/CODEOWNERS',
            '/.github/CODEOWNERS', '/docs/CODEOWNERS', 'SECURITY.md',
            *ADR_DIRS,
            '/.github/workflows/', '/.gitlab-ci.yml', '/.gitlab/ci/',
            '/.circleci/', '/Jenkinsfile', '/azure-pipelines.yml',
            '/.buildkite/', '/bitbucket-pipelines.yml', '/.travis.yml',
            '/.pre-commit-config.yaml',
            '/.review-trigger.yaml', '/.review-trigger.yml',
        ],
        # pyproject.toml fires governance only when its [tool.review-trigger]
        # table changes; that check is built in.
    },
    'security': {
        'enabled': True,
        'words': [
            'auth', 'authn', 'authz', 'oauth', 'oauth2', 'oidc', 'saml',
            'sso', 'mfa', '2fa', 'totp', 'authenticate', 'authentication',
            'authenticator', 'authorize', 'authorization', 'authorizer',
            'login', 'logout', 'signin', 'signon', 'session', 'jwt', 'jwk',
            'jwks', 'token', 'password', 'passwd', 'passphrase',
            'credential', 'secret', 'api key', 'apikey', 'private key',
            'secret key', 'keystore', 'keychain', 'keyring', 'vault', 'kms',
            'crypto', 'cryptography', 'encrypt', 'encryption', 'decrypt',
            'decryption', 'cipher', 'hmac', 'hash password', 'bcrypt',
            'argon2', 'scrypt', 'pbkdf2', 'tls', 'ssl', 'certificate',
            'cert', 'permission', 'rbac', 'abac', 'acl', 'csrf', 'cors',
            'sanitize', 'sanitizer', 'privilege', 'impersonate',
        ],
        # Content rules over added lines. The matched text is never reported,
        # only the rule name, file and line.
        'line_patterns': {
            'private key block': r'-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----',
            'AWS access key id': r'\b(AKIA|ASIA)[0-9A-Z]{16}\b',
            'GitHub token': r'\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b',
            'Slack token': r'\bxox[abposr]-[A-Za-z0-9-]{10,}',
            'Stripe secret key': r'\b[rs]k_live_[A-Za-z0-9]{16,}',
            'Google API key': r'\bAIza[0-9A-Za-z_\-]{35}\b',
            'credentials in URL': r'[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"\']+:[^/\s@"\']+@[^/\s"\']+',
            'credential assignment': r'''(?i)\b[a-z0-9_.-]*(password|passwd|pwd|secret|api_?key|access_?key|private_?key|client_?secret|auth_?token|access_?token|bearer)[a-z0-9_]*['"]?\s*(:=|=>|=|:)\s*[rbu]?(['"])[^'"\s]{4,}\3''',
            'crypto/auth import (Python)': r'^\s*(from|import)\s+(jwt|ssl|hmac|secrets|hashlib|cryptography|Crypto|Cryptodome|nacl|bcrypt|passlib|argon2|oauthlib|authlib|jose|itsdangerous|paramiko|keyring|django\.contrib\.auth|flask_login|flask_jwt_extended|fastapi\.security)\b',
            'crypto/auth import (JavaScript)': r'''(require\(|from\s+|import\s+)['"](crypto|node:crypto|jsonwebtoken|jose|bcrypt|bcryptjs|argon2|passport[^'"]*|next-auth|@auth/[^'"]+|express-session|helmet|tls|node:tls|crypto-js|@okta/[^'"]+|oidc-client[^'"]*|@azure/msal[^'"]*)['"]''',
            'crypto/auth import (Go)': r'''^\s*(import\s+)?(\w+\s+)?"(crypto/[^"]+|golang\.org/x/crypto[^"]*|golang\.org/x/oauth2[^"]*|github\.com/golang-jwt/[^"]+|github\.com/coreos/go-oidc[^"]*)"''',
            'crypto/auth import (Java/Kotlin)': r'^\s*import\s+(javax\.crypto|java\.security|javax\.net\.ssl|org\.springframework\.security|io\.jsonwebtoken|org\.bouncycastle|com\.auth0)\b',
            'crypto/auth import (Rust)': r'^\s*use\s+(ring|rustls|openssl|jsonwebtoken|argon2|bcrypt|sha2|hmac|aes_gcm|ed25519_dalek|oauth2)\b',
            'crypto/auth import (Ruby)': r'''^\s*require\s+['"](openssl|jwt|bcrypt|devise|digest|omniauth[^'"]*)['"]''',
            'crypto/auth import (C#)': r'^\s*using\s+(System\.Security\.Cryptography|Microsoft\.AspNetCore\.Authentication|Microsoft\.AspNetCore\.Authorization|Microsoft\.IdentityModel)\b',
        },
    },
    'document': {
        'enabled': True,
        'paths': [
            '*.md', '*.markdown', '*.rst', '*.adoc', '*.asciidoc', '*.txt',
            '*.org', '*.tex',
        ],
        # Not documents for this rule, even though they end in .txt/.md.
        'not_paths': [
            'requirements*.txt', 'CHANGELOG*', 'CHANGES*', 'HISTORY*',
            'NEWS*', 'LICENSE*', 'COPYING*', 'NOTICE*', 'AUTHORS*',
            'CONTRIBUTORS*', 'CMakeLists.txt', 'robots.txt', '*.in.txt',
        ],
        'adr_dirs': list(ADR_DIRS),
        # A new document of at least this many lines.
        'new_min_lines': 40,
        # An existing document that gained at least this many lines, or
        # grew by growth_percent of its previous length (and at least
        # growth_min_lines lines).
        'expanded_min_lines': 80,
        'growth_percent': 50,
        'growth_min_lines': 20,
    },
    'sensitive-data': {
        'enabled': True,
        # Path words: financial, health and personal data.
        'words': [
            'payment', 'billing', 'invoice', 'payroll', 'bank', 'banking',
            'checkout', 'refund', 'ledger', 'wallet', 'creditcard',
            'credit card', 'pci', 'stripe', 'paypal', 'payout',
            'patient', 'medical', 'healthcare', 'health record',
            'health data', 'hipaa', 'phi',
            'clinical', 'diagnosis', 'prescription', 'ehr', 'emr', 'fhir',
            'gdpr', 'ccpa', 'pii', 'kyc', 'aml', 'personal data',
            'consent', 'ssn', 'tax',
        ],
        # Identifier words in added lines (same word splitting).
        'identifiers': [
            'ssn', 'social security number', 'social security no',
            'date of birth', 'dob', 'birth date', 'birthdate',
            'passport number', 'passport no', 'national id',
            'driver license', 'drivers license', 'credit card number',
            'card number', 'cvv', 'cvc', 'card verification', 'iban',
            'bic', 'swift code', 'routing number', 'account number',
            'bank account', 'tax id', 'tin', 'vat number', 'salary',
            'income', 'diagnosis', 'medical record', 'medical history',
            'prescription', 'patient id', 'health record', 'insurance number',
            'blood type', 'allergies', 'ethnicity', 'sexual orientation',
            'biometric',
        ],
    },
}

# Files review-trigger suggests loading as context when they exist.
CONTEXT_FILES = (
    'ARCHITECTURE.md', 'CLAUDE.md', 'AGENTS.md', 'AGENT.md', 'GEMINI.md',
    '.github/copilot-instructions.md', '.cursorrules', '.windsurfrules',
    'SECURITY.md', 'CONTRIBUTING.md',
)

# Files above this size (bytes of added text) are listed but not scanned.
MAX_SCAN_BYTES = 1_000_000

# The model-to-tier and task-type-to-tier tables are the routing table's:
# review_trigger/routing/table.py.
