/**
 * Evaluating Sentikit models with Tribuo's classification metrics.
 *
 * <p>{@link dev.sentikit.eval.SentimentEvaluator} takes predictions computed outside Tribuo (by a DJL or ONNX Runtime
 * model) as per-label probabilities, has Tribuo's {@code LabelEvaluator} compute a real
 * {@code org.tribuo.classification.evaluation.LabelEvaluation} from them, and returns a
 * {@link dev.sentikit.eval.SentimentEvaluation} that reports everything in Sentikit's label order.
 */
package dev.sentikit.eval;
