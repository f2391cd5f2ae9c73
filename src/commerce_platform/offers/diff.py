"""Diff an AI offer against the final ERP offer.

Lines are paired by product code first, then by a score over product group, size tokens,
name similarity and position (a global best-first assignment), never by position alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .models import AiMatchedProduct, CatalogProduct, ErpRow
from .normalize import char_ngrams, implied_sizes, jaccard, length_tokens, size_tokens, word_tokens

ChangeKind = Literal["unchanged", "quantity_changed", "swap", "removed", "added"]

PAIR_THRESHOLD = 0.45  # below this an AI line and a final row are unrelated (removed + added)


@dataclass
class Change:
    kind: ChangeKind
    ai: AiMatchedProduct | None = None
    final: ErpRow | None = None
    ai_index: int | None = None
    final_index: int | None = None
    score: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def customer_term(self) -> str:
        return self.ai.customer_term if self.ai else ""


def _group_of(code: str, name: str, catalog_by_code: dict[str, CatalogProduct]) -> str:
    p = catalog_by_code.get(code)
    if p and p.product_group:
        return p.product_group
    words = word_tokens(name)
    return words[0].upper() if words else ""


def pair_score(ai: AiMatchedProduct, ai_index: int, n_ai: int, row: ErpRow, row_index: int, n_rows: int,
               catalog_by_code: dict[str, CatalogProduct]) -> float:
    """How likely the final row replaced the AI line (0..1)."""
    ai_group = ai.product_group or _group_of(ai.product_code, ai.product_name, catalog_by_code)
    row_group = _group_of(row.product_code, row.product_name, catalog_by_code)
    same_group = 1.0 if ai_group and ai_group.upper() == row_group.upper() else 0.0
    term_sizes = implied_sizes(ai.customer_term)
    ai_sizes = size_tokens(ai.product_name) | term_sizes
    row_sizes = size_tokens(row.product_name)
    size = 1.0 if ai_sizes and ai_sizes & row_sizes else (0.5 if not ai_sizes or not row_sizes else 0.0)
    # A final row that repairs an AI line contradicting its own term is the likeliest replacement.
    repair = 1.0 if term_sizes and not (term_sizes & size_tokens(ai.product_name)) and term_sizes & row_sizes else 0.0
    term_sim = max(jaccard(char_ngrams(ai.customer_term), char_ngrams(row.product_name)) if ai.customer_term else 0.0,
                   jaccard(char_ngrams(ai.product_name), char_ngrams(row.product_name)))
    qty = 1.0 if ai.quantity and row.quantity and abs(ai.quantity - row.quantity) < 1e-9 else 0.0
    position = 1.0 - abs(ai_index / max(n_ai, 1) - row_index / max(n_rows, 1))
    return 0.45 * same_group + 0.2 * size + 0.2 * term_sim + 0.1 * qty + 0.05 * position + 0.1 * repair


def diff_offer(ai_lines: list[AiMatchedProduct], rows: list[ErpRow],
               catalog_by_code: dict[str, CatalogProduct]) -> list[Change]:
    changes: list[Change] = []
    free_ai = set(range(len(ai_lines)))
    free_rows = set(range(len(rows)))
    # 1. Same product code: unchanged or quantity-only change.
    for i, ai in enumerate(ai_lines):
        for j in sorted(free_rows):
            if rows[j].product_code == ai.product_code:
                kind: ChangeKind = "unchanged" if abs((rows[j].quantity or 0) - (ai.quantity or 0)) < 1e-9 else "quantity_changed"
                changes.append(Change(kind, ai, rows[j], i, j, 1.0))
                free_ai.discard(i)
                free_rows.discard(j)
                break
    # 2. Remaining lines: best-first assignment over pair scores.
    candidates = sorted(
        ((pair_score(ai_lines[i], i, len(ai_lines), rows[j], j, len(rows), catalog_by_code), i, j)
         for i in free_ai for j in free_rows),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for score, i, j in candidates:
        if score < PAIR_THRESHOLD or i not in free_ai or j not in free_rows:
            continue
        ai, row = ai_lines[i], rows[j]
        same_kind = (ai.product_group or _group_of(ai.product_code, ai.product_name, catalog_by_code)).upper() == \
            _group_of(row.product_code, row.product_name, catalog_by_code).upper()
        if not same_kind:
            continue  # a different kind of product is not a swap: removal + addition
        change = Change("swap", ai, row, i, j, score)
        a_len, r_len = length_tokens(ai.product_name), length_tokens(row.product_name)
        if a_len != r_len:
            change.notes.append("length")
        if size_tokens(ai.product_name) != size_tokens(row.product_name):
            change.notes.append("size")
        changes.append(change)
        free_ai.discard(i)
        free_rows.discard(j)
    changes.extend(Change("removed", ai_lines[i], None, i, None) for i in sorted(free_ai))
    changes.extend(Change("added", None, rows[j], None, j) for j in sorted(free_rows))
    return sorted(changes, key=lambda c: (c.ai_index if c.ai_index is not None else 10_000, c.final_index or 0))
