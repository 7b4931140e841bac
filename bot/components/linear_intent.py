"""LinearIntentClassifier: a linear model over TF-IDF word and character n-grams of the normalised text.

Chosen by measurement (bench/README.md, "Choosing the classifier"): on 3-fold cross-validation of the
training data it beat Rasa's DIETClassifier and LogisticRegressionClassifier (raw counts) in macro F1 and
trains in seconds instead of minutes, which keeps training far under the 5-minute limit on two cores. What
makes the difference is TF-IDF with sublinear term frequency on word 1-2-grams and character 2-5-grams
within words (Norwegian morphology, nynorsk and typos share n-grams), over the text as
``components.normaliser`` writes it. The model is scikit-learn's SGDClassifier with the logistic loss, so
its probabilities feed FallbackClassifier and CrisisGate's graded urgency.

The model is stored with skops (no pickle) and loaded only when it holds exactly the types this module
creates.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from components.normaliser import normalise

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent.skops"
# Internal (not in the parse output): how many of the message's words the classifier has seen in training.
# CrisisGate reads it: small talk guessed from letter n-grams alone ("asdfgh qwerty") is not small talk.
KNOWN_WORDS = "known_words"
# Types skops does not trust by itself that a stored model of this module holds; a file with any other
# untrusted type (tampered, or from elsewhere) is refused at load time.
TRUSTED_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Intent and ranking from a linear model over n-grams of the normalised text (module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Defaults as measured best on cross-validation (bench/README.md)."""
        return {
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "char_min_df": 2,
            "alpha": 3e-6,
            "epochs": 50,
            "random_seed": 7,
            "ranking_length": 10,
            "normalise": True,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
    ) -> None:
        """A classifier, trained (``model``) or not yet."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        """A new, untrained classifier."""
        return cls(config, model_storage, resource)

    def _features(self, texts: list[str]) -> list[str]:
        return [normalise(t) for t in texts] if self.config["normalise"] else [t.lower() for t in texts]

    def _new_model(self) -> Pipeline:
        word = TfidfVectorizer(sublinear_tf=True, ngram_range=tuple(self.config["word_ngrams"]))
        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.config["char_ngrams"]),
            min_df=int(self.config["char_min_df"]),
            sublinear_tf=True,
        )
        classifier = SGDClassifier(
            loss="log_loss",
            alpha=float(self.config["alpha"]),
            class_weight="balanced",
            max_iter=int(self.config["epochs"]),
            tol=None,
            random_state=int(self.config["random_seed"]),
        )
        return Pipeline([("features", FeatureUnion([("word", word), ("char", char)])), ("classifier", classifier)])

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every example that has an intent and a text; store the model."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; it is left untrained")
            return self._resource
        model = self._new_model()
        model.fit(self._features([str(e.get(TEXT)) for e in examples]), [str(e.get(INTENT)) for e in examples])
        self.model = model
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``intent`` and ``intent_ranking`` on every message with a text."""
        if self.model is None:
            return messages
        with_text = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        if not with_text:
            return messages
        features = self._features([str(m.get(TEXT)) for m in with_text])
        probabilities = self.model.predict_proba(features)
        classes = self.model.classes_
        limit = int(self.config["ranking_length"])
        known = self._known_words(features)
        for message, row, seen in zip(with_text, probabilities, known, strict=True):
            order = np.argsort(-row)
            ranking = [{"name": str(classes[i]), "confidence": float(row[i])} for i in order]
            message.set("intent", ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[:limit] if limit > 0 else ranking, add_to_output=True)
            message.set(KNOWN_WORDS, seen)
        return messages

    def _known_words(self, features: list[str]) -> list[int | None]:
        """For each normalised text, how many of its words training saw; None when it has no words at all."""
        assert self.model is not None
        word: TfidfVectorizer = self.model.named_steps["features"].transformer_list[0][1]
        tokenize, vocabulary = word.build_tokenizer(), word.vocabulary_
        counts: list[int | None] = []
        for text in features:
            tokens = tokenize(text.lower())
            counts.append(sum(token in vocabulary for token in tokens) if tokens else None)
        return counts

    def persist(self) -> None:
        """Store the fitted model with skops."""
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as folder:
            sio.dump(self.model, folder / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        """Load the stored model; an untrained component when there is none or it holds unexpected types."""
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as folder:
                path = folder / MODEL_FILE
                untrusted = set(sio.get_untrusted_types(file=path))
                if not untrusted <= TRUSTED_TYPES:
                    refused = sorted(untrusted - TRUSTED_TYPES)
                    logger.error("LinearIntentClassifier refused a model with the types %s", refused)
                    return cls(config, model_storage, resource)
                model = sio.load(path, trusted=sorted(untrusted))
        except (ValueError, FileNotFoundError):
            logger.warning("LinearIntentClassifier found no stored model; it answers nothing")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)
