"""Codemod: rewrite uses of the old flat Settings fields to their nested paths.

    python scripts/nest_settings.py [--check] [ROOT]

Driven by ``commerce_platform.config.FLAT_FIELDS`` (the one table: flat name -> "group.leaf").
Rewrites, in src/, console/, tests/, benchmarks/ and notebooks/ (``.py`` and ``.ipynb``):

- ``settings.offers_bucket`` -> ``settings.offers.bucket`` where the receiver is a settings object
  by name (``settings``, ``self.settings``, ``xsettings``, ``kb_settings``, ``s``, ``world``,
  ``resolved``, ``cfg``); other receivers (``args.``, ``factory.``) are left alone;
- ``Settings().kb_backend`` / ``load_settings(home).offers_bucket`` likewise;
- ``getattr(settings, "offers_bucket"...)`` (and ``setattr``/``hasattr``) -> ``getattr(settings.offers, "bucket"...)``;
- ``settings.model_copy(update={...})`` -> ``settings.with_values(**{...})`` (it takes the flat names);
- ``Settings.model_fields["flat"]`` -> ``Settings.field_info("flat")`` and ``set(Settings.model_fields)``
  -> ``set(Settings.env_names())``.

Idempotent: a rewritten path no longer matches, so a second run changes nothing (``--check`` exits 1
when something would change). Keyword arguments (``Settings(offers_bucket=...)``,
``load_settings(home, llm_provider=...)``) need no rewrite: Settings takes the flat names.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRS = ("src", "console", "tests", "benchmarks", "notebooks")
# config.py is hand-written (the table's home); the codemod's test holds flat uses on purpose.
SKIP = {Path("src/commerce_platform/config.py"), Path("tests/unit/test_settings_nested.py")}

# The last name of the receiver: names ending in "settings" and the short names used for Settings.
RECEIVER = r"(?<![\w.])((?:[A-Za-z_]\w*\.)*(?:\w*settings|s|world|resolved|cfg))"


def load_table(root: Path) -> dict[str, str]:
    sys.path.insert(0, str(root / "src"))
    from commerce_platform.config import FLAT_FIELDS

    return dict(FLAT_FIELDS)


def rewriter(table: dict[str, str]):
    names = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    attr = re.compile(RECEIVER + r"\.(" + names + r")\b")
    named = re.compile(r"\b(getattr|setattr|hasattr)\(\s*" + RECEIVER + r"\s*,\s*(['\"])(" + names + r")\3")
    copy = re.compile(RECEIVER + r"\.model_copy\(\s*update\s*=\s*\{")
    fields_key = re.compile(r"\bSettings\.model_fields\[(['\"])(\w+)\1\]")
    fields_all = re.compile(r"\bset\(Settings\.model_fields\)")
    # Settings()/load_settings(...) used in place, arguments without nested parentheses.
    built = re.compile(r"(?<![\w.])((?:Settings|load_settings)\([^()]*\))\.(" + names + r")\b")

    def nested(match: re.Match[str]) -> str:
        return f"{match.group(1)}.{table[match.group(2)]}"

    def nested_named(match: re.Match[str]) -> str:
        group, leaf = table[match.group(4)].split(".")
        quote = match.group(3)
        return f"{match.group(1)}({match.group(2)}.{group}, {quote}{leaf}{quote}"

    def rewrite(text: str) -> str:
        text = named.sub(nested_named, text)
        text = attr.sub(nested, text)
        text = built.sub(nested, text)
        text = copy.sub(lambda m: f"{m.group(1)}.with_values(**{{", text)
        text = fields_key.sub(lambda m: f"Settings.field_info({m.group(1)}{m.group(2)}{m.group(1)})", text)
        return fields_all.sub("set(Settings.env_names())", text)

    return rewrite


def files(root: Path):
    for d in DIRS:
        for path in sorted((root / d).rglob("*")):
            rel = path.relative_to(root)
            if path.suffix in (".py", ".ipynb") and rel not in SKIP and ".ipynb_checkpoints" not in rel.parts:
                yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if a file would change")
    args = parser.parse_args(argv)
    rewrite = rewriter(load_table(args.root))
    changed = []
    for path in files(args.root):
        text = path.read_text(encoding="utf-8")
        new = rewrite(text)
        if new != text:
            changed.append(path.relative_to(args.root))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for rel in changed:
        print(("would rewrite " if args.check else "rewrote ") + str(rel))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
