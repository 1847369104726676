"""The texts the GitHub Action writes: the sticky comment and the job
summary, cut to GitHub's limits with an honest note of what was left out.

The review prompt is always shown inside a fenced code block: it is meant
to be copied (GitHub puts a copy button on code blocks), and a prompt read
from a report artifact is text from a fork's workflow that must not render
as markdown (mentions, links, images).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from review_trigger.markdown import code, fence, text

if TYPE_CHECKING:
    from review_trigger.change import Information

# GitHub refuses comment bodies longer than 65,536 characters. Counted here
# in UTF-16 code units (what a JavaScript length is), which is never less
# than the number of characters, so the body fits however GitHub counts.
MAX_COMMENT = 65536
SUMMARY_RESERVE = 4096  # room left in the summary for the status lines

CLEARED = (
    '### review-trigger\n\n'
    'No significance trigger fires any more for this pull request '
    '(as of head {head}): it no longer asks for a review by the strongest '
    'model.\n'
)


class Where(NamedTuple):
    """Where the full prompt can be read, for the truncation note."""

    run_url: str | None  # this run: its job summary
    summary_has_prompt: bool  # the job summary holds the whole prompt
    report: str  # where the JSON report is, in words


def utf16_len(text: str) -> int:
    return len(text.encode('utf-16-le', 'surrogatepass')) // 2


def _plural(n: int, word: str) -> str:
    return f'{n:,} {word}{"s" if n != 1 else ""}'


def headline(ids: Sequence[str], number: int) -> str:
    if not ids:
        return f'no trigger fired on pull request #{number}'
    return f'{_plural(len(ids), "trigger")} fired on pull request #{number} ({", ".join(ids)})'


# Information records listed in a prompt or summary; the rest are in the JSON report.
MAX_INFORMATION = 25
MAX_INFORMATION_ITEMS = 5


def information_lines(information: Sequence[Information]) -> list[str]:
    """The markdown list of what the triggers stayed quiet on by design (a
    CI pin bump), with a heading line; empty when there is none. Paths and
    pins come from the change: each is a code span."""
    if not information:
        return []
    out = ['', '**Information** (listed only, no review asked: what the triggers stayed quiet on by design):']
    for i in information[:MAX_INFORMATION]:
        items = ', '.join(code(x) for x in i.items[:MAX_INFORMATION_ITEMS])
        if len(i.items) > MAX_INFORMATION_ITEMS:
            items += f' and {len(i.items) - MAX_INFORMATION_ITEMS:,} more'
        # ``why`` is review-trigger's own words (text() makes it a code
        # span if it is anything but plain words).
        out.append(f'- {code(i.path)} ({code(i.trigger)}): {text(i.why)}' + (f': {items}' if items else ''))
    if len(information) > MAX_INFORMATION:
        out.append(f'- and {len(information) - MAX_INFORMATION:,} more (all of them are in the JSON report)')
    return out


def comment_header(ids: Sequence[str], head_sha: str) -> str:
    listed = ', '.join(code(i) for i in ids)
    return (
        "### review-trigger: this pull request needs the strongest model's "
        'review\n\n'
        f'**Triggers:** {listed} (head {code(head_sha[:12])})\n\n'
        'Copy the review prompt below into a session with the reviewing '
        'model:\n\n'
    )


def cleared_body(head_sha: str) -> str:
    return CLEARED.format(head=code(head_sha[:12]))


def comment_body(
    ids: Sequence[str],
    head_sha: str,
    prompt: str,
    where: Where,
    *,
    marker_len: int,
    limit: int = MAX_COMMENT,
    tail: Callable[[int], str] | None = None,
) -> tuple[str, bool]:
    """The comment (without the marker) and whether the prompt was cut.

    ``tail(room)`` is what follows the prompt (the review), at most ``room``
    UTF-16 units long: the room the whole prompt leaves, and never less than
    half the comment, so that neither crowds the other out. The prompt is
    then cut to what is left.
    """
    header = comment_header(ids, head_sha)
    budget = limit - marker_len - 1  # the marker and its newline
    block = _Block(prompt, utf16_len)
    full = header + block.text() + '\n'
    end = ''
    if tail is not None:
        room = max(budget - utf16_len(full), budget // 2)
        end = tail(room)
        if utf16_len(end) > room:
            raise ValueError('the text after the prompt is longer than its room')
        budget -= utf16_len(end)
    if utf16_len(full) <= budget:
        return full + end, False

    def note(k: int) -> str:
        return '\n\n' + truncation_note(block.count, k, len(prompt), where)

    fixed = utf16_len(header)
    k = _most_lines(block.count, lambda k: fixed + block.size(k) + utf16_len(note(k)) <= budget)
    text = header + block.text(k) + note(k)
    if utf16_len(text) > budget:  # only if even the note does not fit
        raise ValueError('the comment header and note alone are too long')
    return text + end, True


def review_cut(where: Where) -> str:
    """Why a review in the comment is cut short, and where it is whole."""
    run = f'[this workflow run]({where.run_url})' if where.run_url else 'this workflow run'
    return (
        f'a GitHub comment holds at most {MAX_COMMENT:,} characters; the job summary of {run} has the review'
    )


def truncation_note(total_lines: int, shown: int, total_chars: int, where: Where) -> str:
    places = []
    if where.summary_has_prompt:
        run = f'[this workflow run]({where.run_url})' if where.run_url else 'this workflow run'
        places.append(f'in the job summary of {run}')
    places.append(where.report)
    return (
        f'**The prompt is cut short here.** It is {_plural(total_chars, "character")} '
        f'({_plural(total_lines, "line")}) and a GitHub comment holds at most '
        f'{MAX_COMMENT:,} characters, so this comment shows only the first '
        f'{_plural(shown, "line")}; the other {total_lines - shown:,} are left '
        f'out. The whole prompt is {" and ".join(places)}.\n'
    )


def summary_text(
    title: str,
    lines: Sequence[str],
    prompt: str | None,
    budget: int,
    report_where: str,
    status: str = '',
) -> tuple[str, bool]:
    """The job summary and whether it holds the whole prompt.

    ``budget`` is in UTF-8 bytes, the way GitHub counts the 1 MiB limit.
    ``status`` (the comment's fate, up to SUMMARY_RESERVE bytes) does not
    count towards it, so the answer is the same with or without it.
    """
    status = _cut_status(status)
    head = f'## review-trigger: {title}\n\n' + ''.join(f'{ln}\n' for ln in lines)
    if status:
        head += f'\n{status}\n'
    if prompt is None:
        return head, True
    intro = '\nThe review prompt for the strongest model:\n\n'
    full = head + intro + _fenced(prompt) + '\n'
    budget += len(f'\n{status}\n'.encode()) if status else 0
    budget -= SUMMARY_RESERVE
    if _utf8_len(full) <= budget:
        return full, True
    block = _Block(prompt, _utf8_len)

    def note(k: int) -> str:
        return (
            f'\n\n**The prompt is cut short here:** GitHub keeps at most 1 MiB '
            f'of job summary per step, so only the first '
            f'{_plural(k, "line")} of {block.count:,} are shown. The whole '
            f'prompt is {report_where}.\n'
        )

    fixed = _utf8_len(head + intro)
    k = _most_lines(block.count, lambda k: fixed + block.size(k) + _utf8_len(note(k)) <= budget)
    return head + intro + block.text(k) + note(k), False


class _Block:
    """``text`` in a markdown code block, and the same block holding only
    its first k lines, sized in O(1) (the escaping is done once)."""

    def __init__(self, text: str, measure: Callable[[str], int]) -> None:
        whole = _fenced(text)
        first, rest = whole.split('\n', 1)
        body, last = rest.rsplit('\n', 1)
        self.open, self.close = first + '\n', '\n' + last
        # fence escapes every line break but \n, so these are the lines.
        self.lines = body.split('\n')
        self.count = len(self.lines)
        self._fixed = measure(self.open) + measure(self.close)
        self._prefix = [0]
        for line in self.lines:
            self._prefix.append(self._prefix[-1] + measure(line) + 1)

    def size(self, k: int) -> int:
        return self._fixed + self._prefix[k] - (1 if k else 0)

    def text(self, k: int | None = None) -> str:
        return self.open + '\n'.join(self.lines[:k]) + self.close


def _utf8_len(text: str) -> int:
    return len(text.encode('utf-8', 'surrogateescape'))


def _fenced(text: str) -> str:
    """``text`` in a markdown code block (its final newline is the block's)."""
    return fence(text.removesuffix('\n'), 'markdown')


def _cut_status(status: str) -> str:
    limit = SUMMARY_RESERVE // 2
    if len(status.encode('utf-8', 'surrogateescape')) <= limit:
        return status
    return status.encode('utf-8', 'surrogateescape')[: limit - 3].decode('utf-8', 'ignore') + '...'


def _most_lines(n: int, fits: Callable[[int], bool]) -> int:
    """The largest k in [0, n] with fits(k) (fits is monotone), else 0."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
