"""Declarative, versioned form definitions (the brede intake) and the checks on their answers.

Definitions are TOML files in resources/forms/ (format: docs/intake.md). No Qt and no database here.
"""

from app.forms.answers import Checked, check_answer, entry_problems, field_visible, is_empty, section_visible
from app.forms.loader import DefinitionError, load_definition, parse_definition
from app.forms.progress import SectionProgress, SectionState, missing_required, section_progress
from app.forms.registry import DEFAULT_FORM_ID, FormRegistry, default_registry, load_registry
from app.forms.schema import (
    Check,
    Condition,
    ConditionOp,
    Direction,
    Field,
    FieldType,
    FormDefinition,
    Option,
    Section,
)
from app.forms.texts import form_text

__all__ = [
    "DEFAULT_FORM_ID", "Check", "Checked", "Condition", "ConditionOp", "DefinitionError", "Direction",
    "Field", "FieldType", "FormDefinition", "FormRegistry", "Option", "Section", "SectionProgress", "SectionState",
    "check_answer", "default_registry", "entry_problems", "field_visible", "form_text", "is_empty",
    "load_definition", "load_registry", "missing_required", "parse_definition", "section_progress",
    "section_visible",
]  # fmt: skip
