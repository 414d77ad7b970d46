package dev.sentikit.onnx;

import ai.onnx.proto.OnnxMl;
import dev.sentikit.model.ModelCard;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.EncoderSpec;
import dev.sentikit.text.TextEncoder;
import dev.sentikit.text.Vocabulary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Builds small ONNX model files for the tests, in code and from explicit weights (as ONNX Runtime's own tests
 * do), so that no binary fixture is checked in and the expected outputs can be computed in plain Java from the
 * same weights. The bag graph mirrors the trainer's {@code dev.sentikit.architecture.bag.BagGraph}, which this module
 * cannot depend on.
 */
final class ModelGenerators {

    /** The fixture vocabulary (ids 1..8). */
    static final Vocabulary VOCABULARY = Vocabulary.of(List.of("good", "bad", "great", "terrible", "not", "movie",
            "boring", "not good"));

    /** Few hash buckets, so that unknown words share rows. */
    static final EncoderSpec SPEC = EncoderSpec.defaults().withHashBuckets(8);

    /** Embedding rows: padding + vocabulary + hash buckets. */
    static final int ROWS = 1 + VOCABULARY.size() + SPEC.hashBuckets();

    static final int DIM = 6;

    static final List<String> LABELS_2 = List.of("negative", "positive");
    static final List<String> LABELS_3 = List.of("negative", "neutral", "positive");

    private ModelGenerators() {}

    /** The parameters of a bag model and the plain-Java reference computation of its outputs. */
    static final class Bag {
        final float[] embedding;
        final int rows;
        final int dim;
        final float[] weight;
        final float[] bias;
        final int labels;

        Bag(float[] embedding, int rows, int dim, float[] weight, float[] bias, int labels) {
            this.embedding = embedding;
            this.rows = rows;
            this.dim = dim;
            this.weight = weight;
            this.bias = bias;
            this.labels = labels;
        }

        /** Weights drawn from a seeded normal distribution, large enough that the labels' scores differ. */
        static Bag random(long seed, int rows, int dim, int labels) {
            Random r = new Random(seed);
            float[] e = new float[rows * dim];
            float[] w = new float[labels * dim];
            float[] b = new float[labels];
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) (r.nextGaussian() * 1.5);
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian());
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (r.nextGaussian() * 0.5);
            }
            return new Bag(e, rows, dim, w, b, labels);
        }

        /** Logits of one id sequence; padding (id 0) is skipped, an empty sequence gives the bias. */
        double[] logits(int[] ids) {
            double[] mean = new double[dim];
            int count = 0;
            for (int id : ids) {
                if (id == Vocabulary.PAD_ID) {
                    continue;
                }
                count++;
                for (int d = 0; d < dim; d++) {
                    mean[d] += embedding[id * dim + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                mean[d] /= Math.max(count, 1);
            }
            double[] logits = new double[labels];
            for (int l = 0; l < labels; l++) {
                double s = bias[l];
                for (int d = 0; d < dim; d++) {
                    s += mean[d] * weight[l * dim + d];
                }
                logits[l] = s;
            }
            return logits;
        }

        /** Softmax of {@link #logits}. */
        double[] probabilities(int[] ids) {
            double[] z = logits(ids);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            double[] p = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                p[i] = Math.exp(z[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= sum;
            }
            return p;
        }
    }

    /** A card for the fixture vocabulary and encoder. */
    static ModelCard card(List<String> labels) {
        return new ModelCard(ModelFormat.FORMAT_VERSION, "fixture", "A tiny model built by ModelGenerators.", "bag",
                labels, SPEC, VOCABULARY.size(), ROWS, null, Map.of("validation", Map.of("accuracy", 0.5)),
                List.of("random weights"));
    }

    /** Real metadata for {@code labels}, as the exporter writes it. */
    static Map<String, String> props(List<String> labels) {
        return ModelFormat.toMetadataProps(card(labels), VOCABULARY);
    }

    /** The fixture's encoder. */
    static TextEncoder encoder() {
        return TextEncoder.of(SPEC, VOCABULARY);
    }

    /** A valid Sentikit bag model with random weights and the given labels. */
    static byte[] bagModel(long seed, List<String> labels) {
        return bagModel(Bag.random(seed, ROWS, DIM, labels.size()), props(labels));
    }

    /** The bag graph with these weights and metadata, serialized. */
    static byte[] bagModel(Bag w, Map<String, String> props) {
        return bagModel(w, props, Variant.STANDARD);
    }

    /** Ways a bag graph can depart from the trainer's, for the tests of what the runtime refuses. */
    enum Variant {
        /** The trainer's graph. */
        STANDARD,
        /** The ids pass through an Identity node before the Gather, so the load-time scan cannot see the table. */
        INDIRECT_IDS,
        /** The mean divides by the token count without clamping it to 1: an empty text gives 0 / 0 = NaN. */
        UNCLAMPED_MEAN,
        /** {@code probabilities} is Sigmoid(logits), not a softmax: its rows do not sum to 1. */
        SIGMOID_OUTPUT
    }

    /** The bag graph with these weights and metadata, changed as {@code variant} says, serialized. */
    static byte[] bagModel(Bag w, Map<String, String> props, Variant variant) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("sentikit-bag");
        ONNXPlaceholder ids = ctx.floatInput(ModelFormat.INPUT_IDS, 1); // retyped to int64 below
        ONNXPlaceholder logitsOut = ctx.floatOutput(ModelFormat.OUTPUT_LOGITS, w.labels);
        ONNXPlaceholder probsOut = ctx.floatOutput(ModelFormat.OUTPUT_PROBABILITIES, w.labels);

        ONNXInitializer embedding = ctx.floatTensor("embedding", List.of(w.rows, w.dim), fb -> fb.put(w.embedding));
        ONNXInitializer weight = ctx.floatTensor("weight", List.of(w.labels, w.dim), fb -> fb.put(w.weight));
        ONNXInitializer bias = ctx.array("bias", w.bias);
        ONNXInitializer padId = ctx.constant("pad_id", 0L);
        ONNXInitializer one = ctx.constant("one", 1.0f);
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});
        ONNXInitializer axis2 = ctx.array("axis_2", new long[] {2});

        ONNXRef<?> tableIds = variant == Variant.INDIRECT_IDS
                ? op(ctx, ONNXOperators.IDENTITY, "ids_copy", Map.of(), ids) : ids;
        ONNXNode emb = op(ctx, ONNXOperators.GATHER, "emb", Map.of("axis", 0), embedding, tableIds);
        ONNXNode isPad = op(ctx, ExtraOps.EQUAL, "is_pad", Map.of(), ids, padId);
        ONNXNode notPad = op(ctx, ExtraOps.NOT, "not_pad", Map.of(), isPad);
        ONNXNode mask = op(ctx, ONNXOperators.CAST, "mask",
                Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()), notPad);
        ONNXNode mask3 = op(ctx, ONNXOperators.UNSQUEEZE, "mask_3d", Map.of(), mask, axis2);
        ONNXNode masked = op(ctx, ONNXOperators.MUL, "masked", Map.of(), emb, mask3);
        ONNXNode sum = op(ctx, ONNXOperators.REDUCE_SUM, "sum", Map.of("keepdims", 0), masked, axis1);
        ONNXNode count = op(ctx, ONNXOperators.REDUCE_SUM, "count", Map.of("keepdims", 1), mask, axis1);
        ONNXNode clamped = variant == Variant.UNCLAMPED_MEAN ? count
                : op(ctx, ExtraOps.MAX, "count_clamped", Map.of(), count, one);
        ONNXNode mean = op(ctx, ONNXOperators.DIV, "mean", Map.of(), sum, clamped);
        ONNXNode logits = op(ctx, ONNXOperators.GEMM, "logits_raw", Map.of("transB", 1), mean, weight, bias);
        ONNXNode probs = variant == Variant.SIGMOID_OUTPUT
                ? op(ctx, ONNXOperators.SIGMOID, "probs_raw", Map.of(), logits)
                : op(ctx, ONNXOperators.SOFTMAX, "probs_raw", Map.of("axis", -1), logits);
        logits.assignTo(logitsOut);
        probs.assignTo(probsOut);

        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        for (int i = 0; i < graph.getInputCount(); i++) {
            if (graph.getInput(i).getName().equals(ModelFormat.INPUT_IDS)) {
                graph.setInput(i, tensorInfo(ModelFormat.INPUT_IDS, OnnxMl.TensorProto.DataType.INT64));
            }
        }
        return model(graph.build(), props);
    }

    /**
     * A model whose {@code input_ids} is float [batch, 1] instead of int64 [batch, sequence], with the given
     * metadata and a valid {@code probabilities} output.
     */
    static byte[] floatInputModel(Map<String, String> props, int labels) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("float-input");
        ONNXPlaceholder in = ctx.floatInput(ModelFormat.INPUT_IDS, 1);
        ONNXPlaceholder out = ctx.floatOutput(ModelFormat.OUTPUT_PROBABILITIES, labels);
        ONNXInitializer weight = ctx.floatTensor("weight", List.of(1, labels), fb -> {
            for (int i = 0; i < labels; i++) {
                fb.put(i + 1f);
            }
        });
        ONNXNode z = op(ctx, ONNXOperators.GEMM, "z", Map.of(), in, weight);
        op(ctx, ONNXOperators.SOFTMAX, "p", Map.of("axis", -1), z).assignTo(out);
        return model(ctx.buildGraph(), props);
    }

    private static byte[] model(OnnxMl.GraphProto graph, Map<String, String> props) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("sentikit-tests")
                .setProducerVersion("0")
                .setGraph(graph);
        for (Map.Entry<String, String> e : props.entrySet()) {
            model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey())
                    .setValue(e.getValue()));
        }
        return model.build().toByteArray();
    }

    private static OnnxMl.ValueInfoProto tensorInfo(String name, OnnxMl.TensorProto.DataType type) {
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("sequence")))))
                .build();
    }

    private static ONNXNode op(ONNXContext ctx, ONNXOperator op, String output, Map<String, ?> attributes,
            ONNXRef<?>... inputs) {
        return ctx.operation(op, List.of(inputs), output, new LinkedHashMap<String, Object>(attributes));
    }

    /** Operators Tribuo's opset-13 {@link ONNXOperators} lacks. */
    enum ExtraOps implements ONNXOperator {
        EQUAL("Equal", 2),
        NOT("Not", 1),
        MAX("Max", ONNXAttribute.VARIADIC_INPUT);

        private final String opName;
        private final int inputs;

        ExtraOps(String opName, int inputs) {
            this.opName = opName;
            this.inputs = inputs;
        }

        @Override
        public String getOpName() {
            return opName;
        }

        @Override
        public int getNumInputs() {
            return inputs;
        }

        @Override
        public int getNumOptionalInputs() {
            return 0;
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public Map<String, ONNXAttribute> getAttributes() {
            return Map.of();
        }

        @Override
        public Set<String> getMandatoryAttributeNames() {
            return Set.of();
        }

        @Override
        public int getOpVersion() {
            return ONNXOperators.getOpsetVersion();
        }

        @Override
        public String getOpDomain() {
            return null;
        }

        @Override
        public OnnxMl.OperatorSetIdProto opsetProto() {
            return ONNXOperators.getOpsetProto();
        }
    }
}
