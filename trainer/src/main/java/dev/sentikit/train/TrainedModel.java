package dev.sentikit.train;

import dev.sentikit.architecture.SentimentBlock;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import dev.sentikit.eval.TemperatureScaling;
import dev.sentikit.model.ModelCard;
import dev.sentikit.text.EncodedBatch;
import dev.sentikit.text.TextEncoder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * A checkpoint loaded into DJL's PyTorch engine for prediction: what {@code trainer evaluate DIR} and the
 * exporter's parity check run. Holds native memory until {@link #close()}.
 */
public final class TrainedModel implements AutoCloseable {

    private final Checkpoint checkpoint;
    private final NDManager manager;
    private final SentimentBlock block;
    private final TextEncoder encoder;
    private final Device device;

    private TrainedModel(Checkpoint checkpoint, NDManager manager, SentimentBlock block, Device device) {
        this.checkpoint = checkpoint;
        this.manager = manager;
        this.block = block;
        this.device = device;
        this.encoder = TextEncoder.of(checkpoint.card().encoder(), checkpoint.vocabulary());
    }

    /** Loads the checkpoint's parameters on {@code device}. */
    public static TrainedModel load(Checkpoint checkpoint, Device device) throws IOException {
        ModelCard card = checkpoint.card();
        TrainingConfig config = TrainingConfig.fromCard(card);
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
        try {
            SentimentBlock block = config.architecture().newBlock(config.settings(), card.embeddingRows(), card.labels().size());
            try (InputStream in = Files.newInputStream(checkpoint.parameters());
                    DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
                block.loadParameters(manager, data);
            } catch (MalformedModelException e) {
                throw new IOException(checkpoint.parameters() + " is damaged or does not match " + Checkpoint.CARD
                        + ": " + e.getMessage(), e);
            }
            return new TrainedModel(checkpoint, manager, block, device);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public SentimentBlock block() {
        return block;
    }

    public TextEncoder encoder() {
        return encoder;
    }

    /**
     * Probabilities for each text, in the card's label order: the softmax of the logits divided by the card's
     * calibration temperature, as the exported model computes them.
     */
    public float[][] probabilities(List<String> texts) {
        double t = checkpoint.card().temperature();
        if (t == 1.0) {
            return predict(texts, true);
        }
        float[][] logits = predict(texts, false);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = TemperatureScaling.softmax(logits[i], t);
        }
        return logits;
    }

    /** Logits for each text, before calibration. */
    public float[][] logits(List<String> texts) {
        return predict(texts, false);
    }

    private float[][] predict(List<String> texts, boolean softmax) {
        return predict(block, encoder, texts, manager, softmax);
    }

    /** Runs {@code block} on {@code texts} in batches; softmax probabilities or logits, one row per text. */
    static float[][] predict(SentimentBlock block, TextEncoder encoder, List<String> texts, NDManager parent,
            boolean softmax) {
        int labels = block.labels();
        float[][] out = new float[texts.size()][];
        int size = block.predictBatchSize();
        for (int start = 0; start < texts.size(); start += size) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + size));
            EncodedBatch batch = encoder.encodeBatch(chunk);
            try (NDManager sub = parent.newSubManager()) {
                NDArray ids = sub.create(batch.ids(), new Shape(batch.batchSize(), batch.sequenceLength()));
                NDArray result = block.forward(new ParameterStore(sub, false), new NDList(ids), false)
                        .singletonOrThrow();
                if (softmax) {
                    result = result.softmax(1);
                }
                float[] flat = result.toFloatArray();
                for (int r = 0; r < chunk.size(); r++) {
                    float[] row = new float[labels];
                    System.arraycopy(flat, r * labels, row, 0, labels);
                    out[start + r] = row;
                }
            }
        }
        return out;
    }

    /** A parameter's values, row-major. */
    public float[] values(ai.djl.nn.Parameter parameter) {
        return parameter.getArray().toFloatArray();
    }

    public Device device() {
        return device;
    }

    @Override
    public void close() {
        manager.close();
    }
}
