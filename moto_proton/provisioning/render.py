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
_EXPRESSION = re.compile(r"\{\{(?:(?!\}\}).)*?\|\s*(" + "|".join(MULTILINE_FILTERS) + r")\s*\}\}")


class RenderError(Exception):
    pass


def _outputs(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    return []


def iam_policy_arns(value: Any) -> str:
    arns = [v for _, v in _outputs(value) if re.match(r"arn:[^:]+:iam::[^:]*:policy/", v)]
    return "\n".join(f"- {v}" for v in arns)


def ecs_env_vars(value: Any) -> str:
    return "\n".join(
        f"- Name: {json.dumps(k)}\n  Value: {json.dumps(v)}" for k, v in _outputs(value)
    )


def lambda_env_vars(value: Any) -> str:
    return "\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in _outputs(value))


def sanitize(value: Any) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", str(value))


def _indent(value: Any, column: int) -> str:
    return str(value).replace("\n", "\n" + " " * column)


def _aligned(source: str) -> str:
    """Pipe each multi-line Proton filter into `proton_indent(<column of its {{>)`."""

    def align(match: "re.Match[str]") -> str:
        start = match.start()
        column = start - (source.rfind("\n", 0, start) + 1)
        text = match.group(0)
        return text[:-2].rstrip() + f" | proton_indent({column}) }}}}"

    return _EXPRESSION.sub(align, source)


@functools.cache
def _environment() -> Any:
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
    return _environment().from_string(_aligned(source))


def render(source: str, namespace: dict[str, Any], file: str) -> str:
    """The rendered file; RenderError with the file, line and reason."""
    import jinja2

    try:
        rendered: str = _compiled(source).render(**namespace)
        return rendered
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(f"{file} line {error.lineno}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise RenderError(f"{file}: {error.message}") from None
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
    try:
        document = yaml.load(text, Loader=CloudFormationLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RenderError(f"{file} (rendered){at}: not valid YAML: {problem}") from None
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise RenderError(f"{file} (rendered): a CloudFormation template needs Resources")
    return json.dumps(document, default=str)
