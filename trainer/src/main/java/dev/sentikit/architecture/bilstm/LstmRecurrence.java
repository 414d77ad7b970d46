package dev.sentikit.architecture.bilstm;

import static dev.sentikit.architecture.KernelProbe.normal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.sentikit.architecture.KernelProbe;
import java.util.Random;

/**
 * The LSTM equations written with DJL's tensor operations, for both directions at once, and the probe that decides
 * whether {@link BiLstmBlock} may use the engine's fused LSTM kernel instead.
 *
 * <p>Why: DJL's {@link ai.djl.nn.recurrent.LSTM} calls {@code torch::lstm} on the PyTorch engine, which PyTorch
 * hands to oneDNN whenever its input is float32 on the CPU ({@code use_mkldnn} in ATen's {@code RNN.cpp}; DJL has
 * no switch for PyTorch's {@code mkldnn} flag). On a CPU with AVX-512, oneDNN 3.5.3 (in PyTorch 2.5.1) runs it with
 * its {@code brgemm:avx512_core} RNN implementation ({@code ONEDNN_VERBOSE=1} shows it), which for some state sizes
 * gives values other than the LSTM equations: on an AMD EPYC of family 26, and with oneDNN limited to plain
 * AVX-512 ({@code ONEDNN_MAX_CPU_ISA=AVX512_CORE}), state sizes 5, 16, 33, 48, 100 and 200 were wrong (by 0.1 to
 * 1.7), 32, 64, 96, 128, 150, 160 and 256 right, in training and inference alike. With
 * {@code ONEDNN_MAX_CPU_ISA=AVX2} oneDNN takes another implementation and every size is right, but that limit
 * must be in the process's environment before oneDNN first runs, which a library cannot arrange in its user's JVM.
 * So the block asks: {@link #fusedKernelAgrees} runs the fused kernel and these equations on random weights of
 * the block's sizes, and where they disagree the block computes the LSTM here, step by step, at about half the
 * speed (docs/benchmarks.md, Training).
 *
 * <p>Gates are PyTorch's: {@code W_ih x + b_ih + W_hh h + b_hh} split as (input, forget, cell, output), zero
 * initial states. The parameters stay those of DJL's {@code LSTM} blocks (their names, shapes and order), so
 * checkpoints and {@link BiLstmGraph} are unchanged.
 */
final class LstmRecurrence {

    /** The largest difference between the fused kernel's states and the equations' that counts as agreement. */
    static final double AGREEMENT = 1e-4;

    /** (batch, sequence) shapes the probe runs: one row, a few, and an odd number of longer ones. */
    private static final int[][] PROBES = {{1, 6}, {3, 6}, {17, 33}};

    private LstmRecurrence() {}

    /**
     * Whether the engine's fused LSTM kernel ({@code torch::lstm} through DJL) gives the LSTM equations' states on
     * {@code device} for input size {@code dim} and state size {@code hidden}, in training and inference, on seeded
     * random weights and inputs; asked once per engine, device and sizes in a process.
     */
    static boolean fusedKernelAgrees(NDManager manager, int dim, int hidden) {
        return KernelProbe.agrees(manager, "lstm/" + dim + "/" + hidden, AGREEMENT,
                m -> largestFusedDifference(m, dim, hidden));
    }

    /** The largest difference between the fused kernel's and the equations' states over the probes. */
    static double largestFusedDifference(NDManager manager, int dim, int hidden) {
        double worst = 0;
        try (NDManager sub = manager.newSubManager()) {
            Random random = new Random(7);
            NDList params = new NDList(normal(sub, random, 0.3f, 4L * hidden, dim),
                    normal(sub, random, 0.3f, 4L * hidden, hidden), normal(sub, random, 0.3f, 4L * hidden),
                    normal(sub, random, 0.3f, 4L * hidden));
            for (int[] probe : PROBES) {
                int b = probe[0];
                int t = probe[1];
                NDArray x = normal(sub, random, 1f, b, t, dim);
                NDArray lengths = sub.full(new Shape(b), t).toType(DataType.INT64, false);
                float[] equations = lastStates(params, params, x, x, lengths).get(0).toFloatArray();
                for (boolean training : new boolean[] {false, true}) {
                    NDList state = new NDList(sub.zeros(new Shape(1, b, hidden)), sub.zeros(new Shape(1, b, hidden)));
                    NDArray out = x.getNDArrayInternal().lstm(x, state, params, true, 1, 0, training, false, true)
                            .get(0); // [B, T, H]
                    worst = KernelProbe.worse(worst, out.get(":, -1, :").toFloatArray(), equations);
                }
            }
        }
        return worst;
    }

    /**
     * Runs one LSTM per direction over its own input and returns each row's state after its last position.
     *
     * @param forward the forward LSTM's {@code W_ih} [4H, D], {@code W_hh} [4H, H], {@code b_ih}, {@code b_hh} [4H]
     * @param backward the same for the backward LSTM
     * @param xForward the forward LSTM's input [B, T, D]
     * @param xBackward the backward LSTM's input [B, T, D]
     * @param lengths int64 [B], each between 1 and T: the state after position {@code lengths[b] - 1} is returned
     * @return [2, B, H]: the forward states, then the backward ones
     */
    static NDArray lastStates(NDList forward, NDList backward, NDArray xForward, NDArray xBackward,
            NDArray lengths) {
        long b = xForward.getShape().get(0);
        long t = xForward.getShape().get(1);
        long d = xForward.getShape().get(2);
        long h = forward.get(1).getShape().get(1);
        NDArray wIh = NDArrays.stack(new NDList(forward.get(0), backward.get(0))).transpose(0, 2, 1); // [2, D, 4H]
        NDArray wHh = NDArrays.stack(new NDList(forward.get(1), backward.get(1))).transpose(0, 2, 1); // [2, H, 4H]
        NDArray bias = NDArrays.stack(new NDList(forward.get(2).add(forward.get(3)),
                backward.get(2).add(backward.get(3)))).reshape(2, 1, 4 * h); // [2, 1, 4H]
        // The input's share of the gates, for every step at once: [2, T*B, D] x [2, D, 4H].
        NDArray x = NDArrays.stack(new NDList(xForward.transpose(1, 0, 2), xBackward.transpose(1, 0, 2)))
                .reshape(2, t * b, d);
        NDArray inputGates = x.matMul(wIh).add(bias).reshape(2, t, b, 4 * h).transpose(1, 0, 2, 3); // [T, 2, B, 4H]
        NDList steps = inputGates.split(t, 0); // T x [1, 2, B, 4H]

        NDList states = new NDList((int) t);
        NDArray hState = null;
        NDArray cState = null;
        for (int s = 0; s < t; s++) {
            NDArray gates = s == 0 ? steps.get(s) : steps.get(s).add(hState.matMul(wHh)); // [1, 2, B, 4H]
            NDList g = gates.split(4, 3);
            NDArray in = Activation.sigmoid(g.get(0));
            NDArray cell = g.get(2).tanh();
            NDArray out = Activation.sigmoid(g.get(3));
            cState = s == 0 ? in.mul(cell) : Activation.sigmoid(g.get(1)).mul(cState).add(in.mul(cell));
            hState = out.mul(cState.tanh()); // [1, 2, B, H]
            states.add(hState);
        }
        NDArray all = NDArrays.concat(states, 0); // [T, 2, B, H]
        NDArray last = lengths.sub(1).toType(DataType.INT64, false).reshape(1, 1, b, 1).repeat(1, 2).repeat(3, h);
        return all.gather(last, 0).reshape(2, b, h);
    }
}
