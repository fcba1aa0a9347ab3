"""The presets, served by GET /api/v1/presets: the engine's (engine/data/presets.py), where the
terminal trace reads them too."""

from engine.data.presets import PRESETS, PRESETS_BY_NAME

__all__ = ["PRESETS", "PRESETS_BY_NAME"]
