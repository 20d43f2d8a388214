"""Rendering IaC files as Proton does: Jinja2 (defaults, autoescape off, StrictUndefined) with
Proton's filters, then CloudFormation YAML with short-form tags loaded and handed on as JSON."""

import functools
import json
import re
from typing import Any

import yaml

#: Proton's filters that return several lines; each line continues at the column of `{{`.
MULTILINE_FILTERS = (
    "proton_cfn_iam_policy_arns",
    "proton_cfn_ecs_task_definition_formatted_env_vars",
    "proton_cfn_lambda_function_formatted_env_vars",
)
#: A `{{ ... | filter(...) }}` expression ending in one of them, also across lines.
_EXPRESSION = re.compile(
    r"\{\{(?:(?!\}\}).)*?\|\s*(?:" + "|".join(MULTILINE_FILTERS) + r")\s*(?:\([^()]*\))?\s*\}\}",
    re.DOTALL,
)
#: What the env-var filters with `raw=False` and `proton_cfn_sanitize` accept.
SAFE_VALUE = re.compile(r"^[a-zA-Z0-9_-]*$")
#: An ARN: partition, service, Region (may be empty), account (may be empty), resource.
ARN = re.compile(r"^arn:[a-z][a-z-]*:[a-zA-Z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:\S+$")
POLICY_ARN = re.compile(r"^arn:[a-zA-Z-]+:iam::\d{12}:policy/")


class RenderError(Exception):
    pass


def _outputs(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    return []


def _checked(value: str, raw: bool) -> str:
    """With `raw=False` a value that is not letters, digits, `_` or `-` fails the rendering."""
    if not raw and not SAFE_VALUE.match(value):
        raise RenderError(
            f'Illegal character(s) detected in "{value}". Must match regex ^[a-zA-Z0-9_-]*$'
        )
    return value


def iam_policy_arns(value: Any) -> str:
    """The values that are IAM policy ARNs, as YAML list items (others are dropped)."""
    return "\n".join(f"- {v}" for _, v in _outputs(value) if POLICY_ARN.match(v))


def ecs_env_vars(value: Any, raw: bool = True) -> str:
    """One `- Name: <key>` / `Value: <value>` item per entry, in order."""
    return "\n".join(f"- Name: {k}\n  Value: {_checked(v, raw)}" for k, v in _outputs(value))


def lambda_env_vars(value: Any, raw: bool = True) -> str:
    """One `<key>: <value>` line per entry, in order."""
    return "\n".join(f"{k}: {_checked(v, raw)}" for k, v in _outputs(value))


def sanitize(value: Any) -> str:
    """The value itself when it is safe or an ARN; it never changes a value."""
    text = str(value)
    if SAFE_VALUE.match(text) or ARN.match(text):
        return text
    raise RenderError(
        f'Illegal character(s) detected in "{text}". Must match regex ^[a-zA-Z0-9_-]*$ or be '
        "a valid ARN"
    )


def _indent(value: Any, column: int) -> str:
    return str(value).replace("\n", "\n" + " " * column)


def aligned(source: str) -> str:
    """Pipe each multi-line Proton filter into `proton_indent(<column of its {{>)`."""

    def align(match: "re.Match[str]") -> str:
        start = match.start()
        column = start - (source.rfind("\n", 0, start) + 1)
        text = match.group(0)
        return text[:-2].rstrip() + f" | proton_indent({column}) }}}}"

    return _EXPRESSION.sub(align, source)


@functools.cache
def jinja_environment() -> Any:
    """Proton's Jinja2 environment, made once (jinja2 is imported on first use: an extra)."""
    import jinja2

    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    environment.filters.update(
        proton_cfn_iam_policy_arns=iam_policy_arns,
        proton_cfn_ecs_task_definition_formatted_env_vars=ecs_env_vars,
        proton_cfn_lambda_function_formatted_env_vars=lambda_env_vars,
        proton_cfn_sanitize=sanitize,
        proton_indent=_indent,
    )
    return environment


@functools.lru_cache(maxsize=256)
def _compiled(source: str) -> Any:
    """A template version's IaC file, compiled once for all its deployments."""
    return jinja_environment().from_string(aligned(source))


def _template_line(error: Exception) -> str:
    """ " line N" of the template where rendering failed ("" when unknown): Jinja points the
    traceback's template frames at template lines."""
    line = ""
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = f" line {tb.tb_lineno}"
        tb = tb.tb_next
    return line


def render(source: str, namespace: dict[str, Any], file: str) -> str:
    """The rendered file; RenderError with the file, line and reason."""
    import jinja2

    try:
        rendered: str = _compiled(source).render(**namespace)
        return rendered
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(f"{file} line {error.lineno}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise RenderError(f"{file}{_template_line(error)}: {error.message}") from None
    except RenderError as error:  # a Proton filter's validation
        raise RenderError(f"{file}: {error}") from None
    except Exception as error:  # anything a template can raise while rendering
        raise RenderError(f"{file}: {type(error).__name__}: {error}") from None


# -- CloudFormation YAML ----------------------------------------------------------------------


class CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms (`!Ref`, `!GetAtt`, `!Sub`, ...); timestamps stay
    strings (`AWSTemplateFormatVersion: 2010-09-09`)."""


CloudFormationLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    assert isinstance(node, yaml.MappingNode)
    return loader.construct_mapping(node, deep=True)


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    value = _construct(loader, node)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    return {f"Fn::{suffix}": value}


CloudFormationLoader.add_multi_constructor("!", _short_form)


def load_template(text: str, file: str) -> str:
    """The rendered CloudFormation YAML (or JSON) as JSON text for moto."""
    return template_json(load_document(text, file))


def template_json(document: dict[str, Any]) -> str:
    """A template document as the JSON text moto builds stacks from (dates as text)."""
    return json.dumps(document, default=str)


def load_document(text: str, file: str) -> dict[str, Any]:
    """The rendered CloudFormation YAML (or JSON) as a document; RenderError when it is none."""
    try:
        document = yaml.load(text, Loader=CloudFormationLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RenderError(f"{file} (rendered){at}: not valid YAML: {problem}") from None
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise RenderError(f"{file} (rendered): a CloudFormation template needs Resources")
    return document
