"""Veiviser's custom NLU components; the rule modules (crisis_lexicon, language_rules) import no Rasa."""
