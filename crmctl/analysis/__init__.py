"""Customer and project analysis: classification, the stakeholder map and red flags, evaluation and score, fees."""
