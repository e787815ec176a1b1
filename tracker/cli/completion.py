"""``tracker completion bash|zsh|fish``: completion scripts written from the argparse parser.

Hand-written rather than a library: shtab writes bash and zsh but no fish,
argcomplete runs Python on every Tab (and needs a hook in each shell's
start-up). The scripts here are made from the same parser that reads the
command line, so a new command or option is completed without anyone
remembering to add it. They complete commands, nested actions, options, the
values of options and arguments that have a fixed set (formats, statuses,
shells), and files or folders where an argument is a path.

An action may carry a ``complete`` attribute set by the parser: a tuple of
words, or ``"file"`` / ``"dir"``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")

_PATH_METAVARS = {"FILE": "file", "PATH": "file", "DIR": "dir"}


@dataclass(slots=True)
class Option:
    flags: list[str]
    help: str
    takes_value: bool
    values: tuple[str, ...] | str = ()
    """Fixed words, ``"file"``, ``"dir"`` or ``()`` (anything)."""


@dataclass(slots=True)
class Command:
    name: str
    help: str
    options: list[Option] = field(default_factory=list)
    positional: tuple[str, ...] | str = ()
    """What the arguments are: fixed words, ``"file"``, ``"dir"`` or ``()``."""
    actions: list[Command] = field(default_factory=list)
    """Nested commands (``tracker digests rename``)."""


def _values(action: argparse.Action) -> tuple[str, ...] | str:
    hint = getattr(action, "complete", None)
    if hint is not None:
        return hint  # type: ignore[no-any-return]
    if action.choices is not None and not isinstance(action.choices, dict):
        return tuple(str(c) for c in action.choices)
    return _PATH_METAVARS.get(str(action.metavar or ""), ())


def _command(name: str, parser: argparse.ArgumentParser, help_text: str) -> Command:
    command = Command(name, help_text)
    first_positional = True
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            command.actions = [
                _command(sub_name, sub, helps.get(sub_name, ""))
                for sub_name, sub in action.choices.items()
            ]
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            command.options.append(
                Option(
                    list(action.option_strings),
                    action.help or "",
                    action.nargs != 0,
                    _values(action) if action.nargs != 0 else (),
                )
            )
        elif first_positional:  # what the next word is: the first argument's kind
            first_positional = False
            command.positional = _values(action)
    return command


def model(parser: argparse.ArgumentParser) -> Command:
    """The parser as commands, options and what their values are."""
    return _command(parser.prog, parser, parser.description or "")


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`)."""
    top = model(parser)
    if shell == "bash":
        return _bash(top)
    if shell == "zsh":
        return _zsh(top)
    if shell == "fish":
        return _fish(top)
    raise ValueError(f"no completion for {shell!r} (use one of: {', '.join(SHELLS)})")


def _walk(
    command: Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Command]]:
    yield path, command
    for sub in command.actions:
        yield from _walk(sub, (*path, sub.name))


# -- bash ------------------------------------------------------------------------
def _bash_values(values: tuple[str, ...] | str) -> str:
    if values == "file":
        return 'COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null'
    if values == "dir":
        return 'COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null'
    if values:
        return f'COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur"))'
    return "COMPREPLY=()"


def _bash(top: Command) -> str:
    prog = top.name
    fn = "_" + re.sub(r"\W", "_", prog)
    lines = [
        f"# bash completion for {prog}; load it with: source <({prog} completion bash)",
        f"{fn}() {{",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local path="" word i=1',
        # The command path (`digests rename`): the words that name commands,
        # skipping options and the values of options that take one.
        "    while [ $i -lt $COMP_CWORD ]; do",
        '        word="${COMP_WORDS[i]}"',
        '        case "$path:$word" in',
    ]
    for path, command in _walk(top):
        key = " ".join(path)
        valued = [f for o in command.options if o.takes_value for f in o.flags]
        if valued:
            alternatives = "|".join(f'"{key}:{f}"' for f in valued)
            lines.append(f"            {alternatives}) i=$((i + 1)) ;;")
        for sub in command.actions:
            new = f"{key} {sub.name}".strip()
            lines.append(f'            "{key}:{sub.name}") path="{new}" ;;')
    lines += [
        "        esac",
        "        i=$((i + 1))",
        "    done",
        '    case "$path:$prev" in',
    ]
    for path, command in _walk(top):
        key = " ".join(path)
        for option in command.options:
            if option.takes_value:
                alternatives = "|".join(f'"{key}:{f}"' for f in option.flags)
                lines.append(f"        {alternatives}) {_bash_values(option.values)}; return ;;")
    lines += ["    esac", '    case "$path" in']
    for path, command in _walk(top):
        key = " ".join(path)
        flags = [f for o in command.options for f in o.flags]
        words = [a.name for a in command.actions]
        lines.append(f'        "{key}")')
        lines.append('            if [[ "$cur" == -* ]]; then')
        lines.append(f'                COMPREPLY=($(compgen -W "{" ".join(flags)}" -- "$cur"))')
        if words:
            lines.append("            else")
            lines.append(f'                COMPREPLY=($(compgen -W "{" ".join(words)}" -- "$cur"))')
        elif command.positional:
            lines.append("            else")
            lines.append(f"                {_bash_values(command.positional)}")
        lines.append("            fi ;;")
    lines += ["    esac", "}", f"complete -F {fn} {prog}", ""]
    return "\n".join(lines)


# -- zsh -------------------------------------------------------------------------
def _zsh_text(text: str) -> str:
    """A help text inside a single-quoted _arguments spec: no brackets, colons escaped."""
    text = " ".join(text.split()).replace("[", "(").replace("]", ")").replace(":", r"\:")
    return text.replace("'", "'\\''")


def _zsh_action(values: tuple[str, ...] | str) -> str:
    if values == "file":
        return "_files"
    if values == "dir":
        return "_files -/"
    if values:
        return "(" + " ".join(values) + ")"
    return " "


def _zsh_specs(command: Command) -> list[str]:
    specs = []
    for option in command.options:
        text = _zsh_text(option.help)
        value = (
            f":{option.flags[-1].lstrip('-')}:{_zsh_action(option.values)}"
            if option.takes_value
            else ""
        )
        if len(option.flags) > 1:
            exclusive = " ".join(option.flags)
            names = "{" + ",".join(option.flags) + "}"
            specs.append(f"'({exclusive})'{names}'[{text}]{value}'")
        else:
            specs.append(f"'{option.flags[0]}[{text}]{value}'")
    return specs


def _zsh(top: Command) -> str:
    prog = top.name
    fn = "_" + re.sub(r"\W", "_", prog)
    out = [f"#compdef {prog}", f"# zsh completion for {prog}; see `{prog} completion --help`", ""]
    for path, command in _walk(top):
        name = fn + "".join("_" + re.sub(r"\W", "_", p) for p in path)
        specs = _zsh_specs(command)
        out.append(f"{name}() {{")
        if command.actions:
            out.append("    local -a actions")
            out.append("    actions=(")
            for sub in command.actions:
                out.append(f"        '{sub.name}:{_zsh_text(sub.help)}'")
            out.append("    )")
            out.append("    local curcontext=$curcontext state line")
            out.append("    _arguments -C \\")
            for spec in specs:
                out.append(f"        {spec} \\")
            out.append("        '1: :->action' '*:: :->args'")
            out.append("    case $state in")
            out.append("        action) _describe -t commands 'command' actions ;;")
            out.append("        args)")
            out.append("            case $words[1] in")
            for sub in command.actions:
                sub_fn = name + "_" + re.sub(r"\W", "_", sub.name)
                out.append(f"                {sub.name}) {sub_fn} ;;")
            out.append("            esac ;;")
            out.append("    esac")
        else:
            positional = f"'*: :{_zsh_action(command.positional)}'"
            out.append("    _arguments \\")
            for spec in specs:
                out.append(f"        {spec} \\")
            out.append(f"        {positional}")
        out.append("}")
        out.append("")
    out += [
        'if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then',
        f'    {fn} "$@"',
        "else",
        f"    compdef {fn} {prog}",
        "fi",
        "",
    ]
    return "\n".join(out)


# -- fish ------------------------------------------------------------------------
def _fish_text(text: str) -> str:
    return "'" + " ".join(text.split()).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_values(values: tuple[str, ...] | str) -> str:
    if values in ("file", "dir"):
        return "-r -F"
    if values:
        return f"-x -a {_fish_text(' '.join(values))}"
    return "-x"


def _fish(top: Command) -> str:
    prog = top.name
    out = [f"# fish completion for {prog}; load it with: {prog} completion fish | source", ""]
    out.append(f"complete -c {prog} -f")
    fn = "__" + re.sub(r"\W", "_", prog) + "_path"
    # The command path typed so far (`digests rename`), as one string.
    out += [
        f"function {fn}",
        "    set -l words (commandline -opc)",
        "    set -l path",
        "    set -l skip 0",
        "    for word in $words[2..-1]",
        "        if test $skip = 1",
        "            set skip 0",
        "            continue",
        "        end",
        '        switch "$path:$word"',
    ]
    for path, command in _walk(top):
        key = " ".join(path)
        valued = [f for o in command.options if o.takes_value for f in o.flags]
        if valued:
            patterns = " ".join(f"'{key}:{f}'" for f in valued)
            out += [f"            case {patterns}", "                set skip 1"]
        for sub in command.actions:
            out += [
                f"            case '{key}:{sub.name}'",
                f"                set -a path {sub.name}",
            ]
    out += [
        "        end",
        "    end",
        '    echo "$path"',
        "end",
        "",
        f"function {fn}_is",
        f"    set -l path ({fn})",
        '    test "$path" = "$argv[1]"',
        "end",
        "",
    ]
    for path, command in _walk(top):
        key = " ".join(path)
        cond = f"-n '{fn}_is \"{key}\"'"
        for option in command.options:
            parts = [f"complete -c {prog} {cond}"]
            for flag in option.flags:
                parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
            if option.takes_value:
                parts.append(_fish_values(option.values))
            parts.append(f"-d {_fish_text(option.help)}")
            out.append(" ".join(parts))
        for sub in command.actions:
            out.append(f"complete -c {prog} {cond} -a {sub.name} -d {_fish_text(sub.help)}")
        if not command.actions and command.positional:
            if command.positional in ("file", "dir"):
                out.append(f"complete -c {prog} {cond} -F")
            else:
                choices = " ".join(command.positional)
                out.append(f"complete -c {prog} {cond} -a {_fish_text(choices)}")
    out.append("")
    return "\n".join(out)


__all__ = ["SHELLS", "model", "script"]
