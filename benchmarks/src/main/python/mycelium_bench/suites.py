"""Suite registrations: one `benchmarks/suites/<name>.suite` INI file per suite (docs/benchmarks.md)."""
import configparser
import fnmatch
import os
import re
import shlex

PROFILES = ("quick", "full", "smoke")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_RATIO = re.compile(r"^(\S+)\s*/\s*(\S+)\s+([a-z][a-z0-9_]*)$")
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
PLACEHOLDERS = ("java", "jvm", "jar", "bench", "src", "work", "python", "cc", "profile")


class SuiteError(ValueError):
    """A registration file that cannot be used; the message names the file and what is wrong."""


class Ratio:
    """`label = SUBJECT / BASE METRIC`: SUBJECT and BASE are result names, optionally `suite:name`."""

    def __init__(self, suite, label, subject, base, metric):
        self.suite = suite
        self.label = label
        self.subject = subject if ":" in subject else f"{suite}:{subject}"
        self.base = base if ":" in base else f"{suite}:{base}"
        self.metric = metric


class Suite:
    """One registered suite: its steps per profile, roles by name pattern, and ratios."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".suite")]
        if not _NAME.match(self.name):
            raise SuiteError(f"{path}: a suite's file name must be lower-case letters, digits, '-' or '_' "
                             f"followed by .suite")
        parser = configparser.ConfigParser(delimiters=("=",), comment_prefixes=("#", ";"),
                                           inline_comment_prefixes=None, interpolation=None, strict=True)
        parser.optionxform = str
        try:
            with open(path, encoding="utf-8") as f:
                parser.read_file(f)
        except (configparser.Error, UnicodeDecodeError) as e:
            raise SuiteError(f"{path}: {e}") from None
        known = {"suite", "setup", "roles", "ratios"} | set(PROFILES)
        for section in parser.sections():
            if section not in known:
                raise SuiteError(f"{path}: unknown section [{section}] (known: {', '.join(sorted(known))})")
        head = parser["suite"] if parser.has_section("suite") else {}
        self.title = head.get("title", self.name)
        try:
            self.order = int(head.get("order", "50"))
            self.timeout = float(head.get("timeout", "900"))
        except ValueError as e:
            raise SuiteError(f"{path}: [suite] order and timeout must be numbers: {e}") from None
        self.needs = head.get("needs", "").split()
        for key in head:
            if key not in ("title", "order", "timeout", "needs"):
                raise SuiteError(f"{path}: unknown key '{key}' in [suite] (known: title, order, timeout, needs)")
        self._steps = {}
        self._rounds = {}
        self._once = {}
        for section in ("setup",) + PROFILES:
            if parser.has_section(section):
                allowed = ("steps",) if section == "setup" else ("steps", "rounds", "once")
                for key in parser[section]:
                    if key not in allowed:
                        raise SuiteError(f"{path}: unknown key '{key}' in [{section}] (only "
                                         f"{' and '.join(repr(a) for a in allowed)})")
                if "rounds" in parser[section]:
                    text = parser[section]["rounds"].strip()
                    if not text.isdigit() or not 1 <= int(text) <= 9:
                        raise SuiteError(f"{path}: [{section}] rounds = {text}: a whole number from 1 to 9 (how "
                                         f"often the steps run in turn; figures are the medians)")
                    self._rounds[section] = int(text)
                lines = [s.strip() for s in parser[section].get("steps", "").splitlines() if s.strip()]
                once = [s.strip() for s in parser[section].get("once", "").splitlines() if s.strip()]
                if once and not lines:
                    raise SuiteError(f"{path}: [{section}] has 'once' but no 'steps' (once runs after the steps' "
                                     f"rounds)")
                for line in lines + once:
                    for placeholder in _PLACEHOLDER.findall(line):
                        if placeholder not in PLACEHOLDERS:
                            raise SuiteError(f"{path}: [{section}] unknown placeholder {{{placeholder}}} in "
                                             f"'{line}' (known: {', '.join(PLACEHOLDERS)})")
                    try:
                        shlex.split(line)
                    except ValueError as e:
                        raise SuiteError(f"{path}: [{section}] cannot split '{line}': {e}") from None
                self._steps[section] = lines
                self._once[section] = once
        self.roles = []
        if parser.has_section("roles"):
            for pattern, role in parser["roles"].items():
                if role.strip() not in ("subject", "floor", "peer"):
                    raise SuiteError(f"{path}: [roles] {pattern} = {role}: a role is subject, floor or peer")
                self.roles.append((pattern, role.strip()))
        self.ratios = []
        if parser.has_section("ratios"):
            for label, text in parser["ratios"].items():
                m = _RATIO.match(text.strip())
                if not m:
                    raise SuiteError(f"{path}: [ratios] '{label} = {text}': write LABEL = SUBJECT / BASE METRIC, "
                                     f"e.g. unix batch / C = mycelium-uds-batch-64-spin50 / c-uds-batch-64 "
                                     f"msgs_per_s (a label cannot contain '=')")
                self.ratios.append(Ratio(self.name, label, m.group(1), m.group(2), m.group(3)))

    def steps(self, profile):
        """The step lines of a profile (full falls back to quick), or None when the suite has none for it."""
        return self._steps.get(self._source(profile)) or None

    def rounds(self, profile):
        """How often the profile's steps run, one pass after another (1 unless the section says `rounds`); full
        without steps of its own takes quick's rounds with quick's steps."""
        return self._rounds.get(self._source(profile), 1)

    def once(self, profile):
        """The profile's steps that run once, after the rounds of its `steps` (none unless it says `once`)."""
        return self._once.get(self._source(profile), [])

    def _source(self, profile):
        """The section a profile's steps, rounds and once come from: full without steps of its own uses quick."""
        return "quick" if profile == "full" and not self._steps.get("full") else profile

    def setup_steps(self):
        return self._steps.get("setup", [])

    def role_of(self, name):
        for pattern, role in self.roles:
            if fnmatch.fnmatchcase(name, pattern):
                return role
        return None


def expand(step, values):
    """Splits a step into argv, replacing {placeholders} with values (each value one word of argv unless it is
    `jvm`, a list of options)."""
    argv = []
    for word in shlex.split(step):
        if word == "{jvm}":
            argv.extend(values["jvm"])
            continue
        argv.append(_PLACEHOLDER.sub(lambda m: " ".join(values[m.group(1)]) if m.group(1) == "jvm"
                                     else str(values[m.group(1)]), word))
    return argv


def load(directory):
    """All suites in `directory`, ordered by their order and name."""
    if not os.path.isdir(directory):
        raise SuiteError(f"no suite registrations: {directory} is not a folder")
    suites = [Suite(os.path.join(directory, f)) for f in sorted(os.listdir(directory)) if f.endswith(".suite")]
    if not suites:
        raise SuiteError(f"no *.suite files in {directory}")
    return sorted(suites, key=lambda s: (s.order, s.name))
