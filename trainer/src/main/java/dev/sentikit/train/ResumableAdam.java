package dev.sentikit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Adam whose state can be saved and restored, for {@code trainer train --resume}. DJL's own
 * {@link ai.djl.training.optimizer.Adam} keeps its moment estimates in private fields; this one keeps, per
 * parameter, the first and second moment estimates (m, v) and its step count t, and writes them with
 * {@link #save(OutputStream)}.
 *
 * <p>Data-parallel training on several devices keeps a replica of every parameter per device; DJL's parameter
 * server sums the replicas' gradients and then calls {@link #update} once per replica with that sum, first
 * device first. The n-th call for a parameter since the last {@link #stepTaken()} is its n-th replica; each
 * replica has its own moments, on its own device, and since every replica receives the same gradients they
 * stay equal: {@link #save} writes the first replica's, and {@link #load} gives every replica a copy.
 *
 * <p>The update is DJL's Adam exactly: the same engine kernel ({@code NDArrayEx.adamUpdate}, which also zeroes
 * the parameter's gradient) with the same arguments: the learning rate, the bias-corrected rate
 * {@code lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, beta1 0.9, beta2 0.999 and epsilon 1e-8 added to
 * {@code sqrt(v)}. So a run with this optimizer and a fixed rate gives the parameters DJL's Adam gives.
 *
 * <p>The learning rate of each step comes from {@code schedule}, called with the number of optimizer steps
 * taken so far plus one ({@link #optimizerSteps()} counts them; the trainer advances it with
 * {@link #stepTaken()} after each {@code Trainer.step()}). Parameters are known by stable names (DJL's
 * parameter ids are random per run), given with {@link #setParameterNames(Map)}.
 */
public final class ResumableAdam extends Optimizer {

    /** First bytes of the state file. */
    static final byte[] MAGIC = "SKADAM\u0000\u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    static final int FORMAT_VERSION = 1;

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final LongFunction<Float> schedule;
    private final Map<String, String> names = new HashMap<>();
    /** Per parameter name: its moments and step count. */
    private final Map<String, State> states = new java.util.TreeMap<>(); // by name: the same order in every run
    private long optimizerSteps;
    private float lastLearningRate;
    private float decoupledWeightDecay;
    private java.util.function.Predicate<String> decays = name -> false;
    private float gradientScale = 1f;

    /** One parameter's state: its moments per replica. */
    private static final class State {
        final java.util.List<Moments> replicas = new java.util.ArrayList<>();
        /** Updates since the last optimizer step: the index of the next replica. */
        int calls;
        float[] loadedM;
        float[] loadedV;
        long[] shape;
        int loadedT;

        /** The first replica's moments, or null before the first update. */
        Moments first() {
            return replicas.isEmpty() ? null : replicas.get(0);
        }
    }

    private static final class Moments {
        NDArray m;
        NDArray v;
        int t;
    }

    /**
     * @param schedule the learning rate of optimizer step n (1-based)
     */
    public ResumableAdam(LongFunction<Float> schedule) {
        super(new Builder());
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }

    /**
     * AdamW: each update also subtracts {@code lr × decay × weight} from the parameters whose name {@code applies}
     * accepts (Loshchilov and Hutter, "Decoupled weight decay regularization", 2019), as DJL's kernel does with
     * its {@code adamw} flag; 0 is Adam.
     */
    public void setDecoupledWeightDecay(float decay, java.util.function.Predicate<String> applies) {
        this.decoupledWeightDecay = decay;
        this.decays = Objects.requireNonNull(applies, "applies");
    }

    /**
     * Multiplies the gradients of the next step by {@code scale} before they enter the moments (gradient clipping by
     * global norm sets it to {@code maxNorm / norm} when the norm is larger); 1 leaves them alone.
     */
    public void setGradientScale(float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("gradient scale must be a positive number, got " + scale);
        }
        this.gradientScale = scale;
    }

    /** DJL parameter id to a name that is the same in every run (the block's parameter path). */
    public void setParameterNames(Map<String, String> idToName) {
        names.putAll(idToName);
    }

    /** Optimizer steps taken so far. */
    public long optimizerSteps() {
        return optimizerSteps;
    }

    /** Counts one optimizer step; call after {@code Trainer.step()}. */
    public void stepTaken() {
        optimizerSteps++;
        gradientScale = 1f;
        for (State s : states.values()) {
            s.calls = 0;
            if (!s.replicas.isEmpty()) {
                // every replica took its copy during this step: the loaded arrays are not needed any more
                s.loadedM = null;
                s.loadedV = null;
            }
        }
    }

    /** The learning rate the latest step used (0 before the first). */
    public float lastLearningRate() {
        return lastLearningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String name = names.getOrDefault(parameterId, parameterId);
        State s = states.computeIfAbsent(name, k -> new State());
        int replica = s.calls++;
        if (replica > s.replicas.size()) {
            throw new IllegalStateException("replica " + replica + " of " + name + " updated before replica "
                    + s.replicas.size());
        }
        Moments r = replica < s.replicas.size() ? s.replicas.get(replica) : null;
        if (r == null) {
            r = new Moments();
            if (s.loadedM != null) {
                if (!Arrays.equals(s.shape, weight.getShape().getShape())) {
                    throw new IllegalStateException("saved optimizer state of " + name + " has shape "
                            + new Shape(s.shape) + ", the parameter " + weight.getShape());
                }
                r.m = weight.getManager().create(s.loadedM, weight.getShape()).toDevice(weight.getDevice(), false);
                r.v = weight.getManager().create(s.loadedV, weight.getShape()).toDevice(weight.getDevice(), false);
                r.t = s.loadedT;
            } else {
                r.m = weight.zerosLike();
                r.v = weight.zerosLike();
                s.shape = weight.getShape().getShape();
            }
            s.replicas.add(r);
        }
        r.t++;
        int t = r.t;
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        float lr = schedule.apply(optimizerSteps + 1);
        lastLearningRate = lr;
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        boolean adamw = decoupledWeightDecay > 0;
        float weightDecay = adamw ? (decays.test(name) ? decoupledWeightDecay : 0f) : getWeightDecay();
        if (!Float.isFinite(corrected) || !Float.isFinite(weightDecay)) {
            throw new IllegalStateException("learning rate or weight decay is NaN or infinite");
        }
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, r.m, r.v), new NDList(weight), lr, corrected,
                weightDecay, rescaleGrad * gradientScale, clipGrad, BETA1, BETA2, EPSILON, true, adamw);
    }

    /**
     * Writes the state: {@link #MAGIC}, the format version, the optimizer steps, the number of parameters, then
     * per parameter its name, t, shape, m and v (float32, big-endian).
     */
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out));
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeLong(optimizerSteps);
        data.writeInt(states.size());
        for (Map.Entry<String, State> e : states.entrySet()) {
            State s = e.getValue();
            Moments first = s.first();
            data.writeUTF(e.getKey());
            data.writeInt(first != null ? first.t : s.loadedT);
            data.writeInt(s.shape.length);
            for (long d : s.shape) {
                data.writeLong(d);
            }
            float[] m = first != null ? first.m.toFloatArray() : s.loadedM;
            float[] v = first != null ? first.v.toFloatArray() : s.loadedV;
            data.writeInt(m.length);
            for (float f : m) {
                data.writeFloat(f);
            }
            for (float f : v) {
                data.writeFloat(f);
            }
        }
        data.flush();
    }

    /** The state as bytes. */
    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        save(bytes);
        return bytes.toByteArray();
    }

    /**
     * Restores what {@link #save} wrote; the moments are copied to each parameter replica's device at its first
     * update.
     *
     * @throws IOException when the stream is not such a state or is cut off
     */
    public void load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a Sentikit optimizer state (bad header)");
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("optimizer state format " + version + " is not supported (expected "
                        + FORMAT_VERSION + ")");
            }
            long steps = data.readLong();
            int count = data.readInt();
            Map<String, State> read = new java.util.TreeMap<>();
            for (int i = 0; i < count; i++) {
                String name = data.readUTF();
                State s = new State();
                s.loadedT = data.readInt();
                int rank = data.readInt();
                s.shape = new long[rank];
                for (int d = 0; d < rank; d++) {
                    s.shape[d] = data.readLong();
                }
                int n = data.readInt();
                s.loadedM = new float[n];
                s.loadedV = new float[n];
                for (int j = 0; j < n; j++) {
                    s.loadedM[j] = data.readFloat();
                }
                for (int j = 0; j < n; j++) {
                    s.loadedV[j] = data.readFloat();
                }
                read.put(name, s);
            }
            if (data.read() != -1) {
                throw new IOException("optimizer state has trailing bytes");
            }
            states.clear();
            states.putAll(read);
            optimizerSteps = steps;
        } catch (EOFException e) {
            throw new IOException("optimizer state is cut off", e);
        }
    }
}
