package dev.sentikit.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the few parts of an ONNX {@code ModelProto} that must be checked before ONNX Runtime sees the bytes, with a
 * hand-written reader of the protobuf wire format (this module depends on no protobuf library).
 *
 * <p>It finds every tensor that keeps its data in an external file ({@code TensorProto.data_location = EXTERNAL}
 * or an {@code external_data} entry), wherever a tensor can be: graph initializers, sparse initializers, node
 * attributes, subgraphs of control-flow nodes, functions and training graphs. ONNX Runtime 1.23 resolves those
 * paths itself when a model is loaded from bytes, absolute paths and {@code ..} included, so a model file could
 * make it read any file the process can read. It also records the shape of each initializer of the main graph and
 * the {@code Gather} nodes that index an initializer with the graph input {@code input_ids}: the embedding table,
 * whose row count must match the card.
 *
 * <p>Malformed wire data (a truncated field, a length past the end, an invalid wire type or field number, nesting
 * deeper than {@value #MAX_DEPTH} messages) is reported as a {@link MalformedModelException}. Fields this reader
 * does not know are skipped, as protobuf does.
 */
final class ModelProtoScan {

    /** Messages nested deeper than this are refused; protobuf's own parsers stop at 100. */
    static final int MAX_DEPTH = 100;

    /** {@code TensorProto.DataLocation.EXTERNAL}. */
    private static final int DATA_LOCATION_EXTERNAL = 1;

    // Field numbers, from onnx.proto (ONNX 1.17).
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_TRAINING_INFO = 20;
    private static final int MODEL_FUNCTIONS = 25;
    private static final int TRAINING_INITIALIZATION = 1;
    private static final int TRAINING_ALGORITHM = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int NODE_INPUT = 1;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int FUNCTION_NODE = 7;
    private static final int FUNCTION_ATTRIBUTE_PROTO = 11;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_G = 6;
    private static final int ATTRIBUTE_TENSORS = 10;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
    private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_START_GROUP = 3;
    private static final int WIRE_END_GROUP = 4;
    private static final int WIRE_FIXED32 = 5;

    /** A tensor whose data lives outside the model file. */
    record ExternalTensor(String tensor, String location, String where) {}

    /** A {@code Gather} node of the main graph that indexes the initializer {@code table} with {@code input_ids}. */
    record IdGather(String node, String table) {}

    private final byte[] bytes;
    private final String idsInput;
    private final List<ExternalTensor> external = new ArrayList<>();
    private final Map<String, long[]> initializerDims = new HashMap<>();
    private final List<IdGather> idGathers = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private ModelProtoScan(byte[] bytes, String idsInput) {
        this.bytes = bytes;
        this.idsInput = idsInput;
    }

    /**
     * Scans the bytes of a model file.
     *
     * @param idsInput the name of the graph input that holds the token ids
     * @throws MalformedModelException if the bytes are not a well-formed protobuf {@code ModelProto}
     */
    static ModelProtoScan scan(byte[] model, String idsInput) throws MalformedModelException {
        ModelProtoScan scan = new ModelProtoScan(model, idsInput);
        scan.model(new Reader(model, 0, model.length));
        return scan;
    }

    /** The tensors that refer to external data, in file order; empty for a self-contained file. */
    List<ExternalTensor> externalTensors() {
        return Collections.unmodifiableList(external);
    }

    /** The shape of the main graph's initializer {@code name}, or null when there is none of that name. */
    long[] initializerDims(String name) {
        long[] dims = initializerDims.get(name);
        return dims == null ? null : dims.clone();
    }

    /**
     * What is invalid in the file and known to crash ONNX Runtime 1.23 (and with it the JVM) rather than give an
     * error, described for people; empty for a valid file:
     * <ul>
     *   <li>a tensor whose {@code raw_data} does not hold exactly the bytes its shape and element type need (shape
     *       inference reads past the buffer or frees a bad pointer);</li>
     *   <li>a node of a variadic operator ({@link #VARIADIC_OPS}) with an empty input name, which ONNX Runtime
     *       accepts and then dereferences as a null tensor when it runs.</li>
     * </ul>
     */
    List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The main graph's {@code Gather} nodes (axis 0) whose data is an initializer and whose indices are the ids. */
    List<IdGather> idGathers() {
        return Collections.unmodifiableList(idGathers);
    }

    // ------------------------------------------------------------------------------------------------ messages

    private void model(Reader r) throws MalformedModelException {
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if (field == MODEL_GRAPH && wire(tag) == WIRE_LENGTH_DELIMITED) {
                graph(r.message(1), "graph", true, 1);
            } else if (field == MODEL_FUNCTIONS && wire(tag) == WIRE_LENGTH_DELIMITED) {
                function(r.message(1), 1);
            } else if (field == MODEL_TRAINING_INFO && wire(tag) == WIRE_LENGTH_DELIMITED) {
                trainingInfo(r.message(1), 1);
            } else {
                r.skip(tag, 0);
            }
        }
    }

    private void trainingInfo(Reader r, int depth) throws MalformedModelException {
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if ((field == TRAINING_INITIALIZATION || field == TRAINING_ALGORITHM)
                    && wire(tag) == WIRE_LENGTH_DELIMITED) {
                graph(r.message(depth + 1), "training graph", false, depth + 1);
            } else {
                r.skip(tag, depth);
            }
        }
    }

    private void function(Reader r, int depth) throws MalformedModelException {
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if (field == FUNCTION_NODE && wire(tag) == WIRE_LENGTH_DELIMITED) {
                node(r.message(depth + 1), "function", false, depth + 1);
            } else if (field == FUNCTION_ATTRIBUTE_PROTO && wire(tag) == WIRE_LENGTH_DELIMITED) {
                attribute(r.message(depth + 1), "function", depth + 1, null);
            } else {
                r.skip(tag, depth);
            }
        }
    }

    private void graph(Reader r, String where, boolean main, int depth) throws MalformedModelException {
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if (field == GRAPH_NODE && wire(tag) == WIRE_LENGTH_DELIMITED) {
                node(r.message(depth + 1), where, main, depth + 1);
            } else if (field == GRAPH_INITIALIZER && wire(tag) == WIRE_LENGTH_DELIMITED) {
                Tensor t = tensor(r.message(depth + 1), where + " initializer", depth + 1);
                if (main && t.name != null) {
                    initializerDims.put(t.name, t.dims);
                }
            } else if (field == GRAPH_SPARSE_INITIALIZER && wire(tag) == WIRE_LENGTH_DELIMITED) {
                sparseTensor(r.message(depth + 1), where + " sparse initializer", depth + 1);
            } else {
                r.skip(tag, depth);
            }
        }
    }

    private void node(Reader r, String where, boolean main, int depth) throws MalformedModelException {
        List<String> inputs = new ArrayList<>(2);
        String opType = "";
        String domain = "";
        long[] axis = {0};
        String name = null;
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if (field == NODE_INPUT && wire(tag) == WIRE_LENGTH_DELIMITED) {
                inputs.add(r.string());
            } else if (field == NODE_OP_TYPE && wire(tag) == WIRE_LENGTH_DELIMITED) {
                opType = r.string();
            } else if (field == NODE_DOMAIN && wire(tag) == WIRE_LENGTH_DELIMITED) {
                domain = r.string();
            } else if (field == NODE_NAME && wire(tag) == WIRE_LENGTH_DELIMITED) {
                name = r.string();
            } else if (field == NODE_ATTRIBUTE && wire(tag) == WIRE_LENGTH_DELIMITED) {
                attribute(r.message(depth + 1), where + " node attribute", depth + 1, axis);
            } else {
                r.skip(tag, depth);
            }
        }
        boolean onnxDomain = domain.isEmpty() || domain.equals("ai.onnx");
        if (main && onnxDomain && opType.equals("Gather") && axis[0] == 0 && inputs.size() == 2
                && inputs.get(1).equals(idsInput)) {
            idGathers.add(new IdGather(name == null ? "" : name, inputs.get(0)));
        }
        if (onnxDomain && VARIADIC_OPS.contains(opType) && inputs.contains("")) {
            problems.add("the " + where + " node '" + (name == null ? "" : name) + "' (" + opType + ") has an empty "
                    + "input name, but every input of " + opType + " is required");
        }
    }

    /** ONNX operators whose inputs are all one variadic, required parameter: none of them may be left empty. */
    static final java.util.Set<String> VARIADIC_OPS = java.util.Set.of("Max", "Min", "Sum", "Mean", "Concat");

    /** Reads an attribute; {@code axis[0]} receives the value of an integer attribute named {@code axis}. */
    private void attribute(Reader r, String where, int depth, long[] axis) throws MalformedModelException {
        String name = null;
        Long intValue = null;
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            int wire = wire(tag);
            if (field == ATTRIBUTE_NAME && wire == WIRE_LENGTH_DELIMITED) {
                name = r.string();
            } else if (field == ATTRIBUTE_I && wire == WIRE_VARINT) {
                intValue = r.varint();
            } else if ((field == ATTRIBUTE_T || field == ATTRIBUTE_TENSORS) && wire == WIRE_LENGTH_DELIMITED) {
                tensor(r.message(depth + 1), where, depth + 1);
            } else if ((field == ATTRIBUTE_G || field == ATTRIBUTE_GRAPHS) && wire == WIRE_LENGTH_DELIMITED) {
                graph(r.message(depth + 1), "subgraph", false, depth + 1);
            } else if ((field == ATTRIBUTE_SPARSE_TENSOR || field == ATTRIBUTE_SPARSE_TENSORS)
                    && wire == WIRE_LENGTH_DELIMITED) {
                sparseTensor(r.message(depth + 1), where, depth + 1);
            } else {
                r.skip(tag, depth);
            }
        }
        if (axis != null && "axis".equals(name) && intValue != null) {
            axis[0] = intValue;
        }
    }

    private void sparseTensor(Reader r, String where, int depth) throws MalformedModelException {
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if ((field == SPARSE_VALUES || field == SPARSE_INDICES) && wire(tag) == WIRE_LENGTH_DELIMITED) {
                tensor(r.message(depth + 1), where, depth + 1);
            } else {
                r.skip(tag, depth);
            }
        }
    }

    private static final class Tensor {
        String name;
        long[] dims;
    }

    private Tensor tensor(Reader r, String where, int depth) throws MalformedModelException {
        Tensor t = new Tensor();
        List<Long> dims = new ArrayList<>();
        boolean externalLocation = false;
        boolean externalEntries = false;
        String location = null;
        long dataType = 0;
        long rawBytes = -1;
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            int wire = wire(tag);
            if (field == TENSOR_DIMS && wire == WIRE_VARINT) {
                dims.add(r.varint());
            } else if (field == TENSOR_DIMS && wire == WIRE_LENGTH_DELIMITED) {
                Reader packed = r.message(depth + 1);
                while (packed.hasMore()) {
                    dims.add(packed.varint());
                }
            } else if (field == TENSOR_NAME && wire == WIRE_LENGTH_DELIMITED) {
                t.name = r.string();
            } else if (field == TENSOR_DATA_TYPE && wire == WIRE_VARINT) {
                dataType = r.varint();
            } else if (field == TENSOR_RAW_DATA && wire == WIRE_LENGTH_DELIMITED) {
                // Protobuf keeps the last value of a repeated scalar field; so does this.
                rawBytes = r.message(depth + 1).remaining();
            } else if (field == TENSOR_DATA_LOCATION && wire == WIRE_VARINT) {
                // An enum: any value but DEFAULT (0) is treated as external, as a later ONNX may add locations.
                externalLocation |= r.varint() != 0;
            } else if (field == TENSOR_DATA_LOCATION && wire == WIRE_LENGTH_DELIMITED) {
                // A packed encoding of the enum; protobuf accepts it for a scalar field, so do we.
                Reader packed = r.message(depth + 1);
                while (packed.hasMore()) {
                    externalLocation |= packed.varint() != 0;
                }
            } else if (field == TENSOR_EXTERNAL_DATA && wire == WIRE_LENGTH_DELIMITED) {
                externalEntries = true;
                String loc = locationOf(r.message(depth + 1));
                if (loc != null) {
                    location = loc;
                }
            } else {
                r.skip(tag, depth);
            }
        }
        t.dims = new long[dims.size()];
        for (int i = 0; i < t.dims.length; i++) {
            t.dims[i] = dims.get(i);
        }
        if (externalLocation || externalEntries) {
            external.add(new ExternalTensor(t.name == null ? "" : t.name, location, where));
        } else if (rawBytes >= 0) {
            String problem = rawDataProblem(t.dims, dataType, rawBytes);
            if (problem != null) {
                problems.add("the " + where + " '" + (t.name == null ? "" : t.name) + "' " + problem);
            }
        }
        return t;
    }

    /** Bits per element of the fixed-size ONNX element types, by {@code TensorProto.DataType}; 0 where none. */
    private static final int[] ELEMENT_BITS = {
        0, // UNDEFINED
        32, 8, 8, 16, 16, 32, 64, // FLOAT, UINT8, INT8, UINT16, INT16, INT32, INT64
        0, // STRING: never raw
        8, 16, 64, 32, 64, 64, 128, 16, // BOOL, FLOAT16, DOUBLE, UINT32, UINT64, COMPLEX64, COMPLEX128, BFLOAT16
        8, 8, 8, 8, // FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ
        4, 4, 4, 8, // UINT4, INT4, FLOAT4E2M1, FLOAT8E8M0
        2, 2, // UINT2, INT2
    };

    /** Why {@code rawBytes} bytes of raw data cannot be a tensor of this shape and type, or null when they can. */
    static String rawDataProblem(long[] dims, long dataType, long rawBytes) {
        int bits = dataType >= 0 && dataType < ELEMENT_BITS.length ? ELEMENT_BITS[(int) dataType] : 0;
        if (bits == 0) {
            return "has raw data but the element type " + dataType + ", which has no fixed size";
        }
        long elements = 1;
        for (long d : dims) {
            if (d < 0) {
                return "has the negative dimension " + d + " in its shape " + java.util.Arrays.toString(dims);
            }
            if (d != 0 && elements > (Long.MAX_VALUE / 128) / d) {
                return "has a shape " + java.util.Arrays.toString(dims) + " too large for any file";
            }
            elements *= d;
        }
        long needed = (elements * bits + 7) / 8;
        if (needed != rawBytes) {
            return "has " + rawBytes + " bytes of raw data, but its shape " + java.util.Arrays.toString(dims)
                    + " of element type " + dataType + " needs " + needed;
        }
        return null;
    }

    /** The value of the key {@code location} in one {@code external_data} entry, or null. */
    private static String locationOf(Reader r) throws MalformedModelException {
        String key = null;
        String value = null;
        while (r.hasMore()) {
            long tag = r.tag();
            int field = (int) (tag >>> 3);
            if (field == ENTRY_KEY && wire(tag) == WIRE_LENGTH_DELIMITED) {
                key = r.string();
            } else if (field == ENTRY_VALUE && wire(tag) == WIRE_LENGTH_DELIMITED) {
                value = r.string();
            } else {
                r.skip(tag, 0);
            }
        }
        return "location".equals(key) ? value : null;
    }

    private static int wire(long tag) {
        return (int) (tag & 7);
    }

    // ------------------------------------------------------------------------------------------------ wire format

    /** The bytes of a model are not a well-formed protobuf message. */
    static final class MalformedModelException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedModelException(String message) {
            super(message);
        }
    }

    /** Reads protobuf wire data in {@code [pos, end)} of a shared array, checking every length against the end. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;

        Reader(byte[] buf, int from, int end) {
            this.buf = buf;
            this.pos = from;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        int remaining() {
            return end - pos;
        }

        /** A field's tag: its number (1 to 2^29 - 1) and wire type. */
        long tag() throws MalformedModelException {
            int at = pos;
            long tag = varint();
            if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFFFFFF) {
                throw new MalformedModelException("invalid field tag " + Long.toUnsignedString(tag) + " at byte " + at);
            }
            return tag;
        }

        long varint() throws MalformedModelException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new MalformedModelException("a number is cut off at byte " + pos);
                }
                byte b = buf[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new MalformedModelException("a number longer than 10 bytes ends at byte " + pos);
        }

        /** The length of a length-delimited field, checked against what is left. */
        private int length() throws MalformedModelException {
            int at = pos;
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw new MalformedModelException("a field at byte " + at + " claims " + Long.toUnsignedString(n)
                        + " bytes, but only " + (end - pos) + " are left");
            }
            return (int) n;
        }

        /** A nested message (or packed field) as a reader of its own bytes. */
        Reader message(int depth) throws MalformedModelException {
            if (depth > MAX_DEPTH) {
                throw new MalformedModelException("messages are nested more than " + MAX_DEPTH + " deep at byte "
                        + pos);
            }
            int n = length();
            Reader inner = new Reader(buf, pos, pos + n);
            pos += n;
            return inner;
        }

        String string() throws MalformedModelException {
            int n = length();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** Skips the value of a field this reader does not need; groups are skipped to their end tag. */
        void skip(long tag, int depth) throws MalformedModelException {
            switch (wire(tag)) {
                case WIRE_VARINT:
                    varint();
                    return;
                case WIRE_FIXED64:
                    advance(8);
                    return;
                case WIRE_LENGTH_DELIMITED:
                    advance(length());
                    return;
                case WIRE_FIXED32:
                    advance(4);
                    return;
                case WIRE_START_GROUP:
                    skipGroup((int) (tag >>> 3), depth + 1);
                    return;
                default:
                    throw new MalformedModelException("invalid wire type " + wire(tag) + " of field " + (tag >>> 3)
                            + " before byte " + pos);
            }
        }

        private void skipGroup(int field, int depth) throws MalformedModelException {
            if (depth > MAX_DEPTH) {
                throw new MalformedModelException("groups are nested more than " + MAX_DEPTH + " deep at byte " + pos);
            }
            while (true) {
                if (!hasMore()) {
                    throw new MalformedModelException("group " + field + " has no end");
                }
                long tag = tag();
                if (wire(tag) == WIRE_END_GROUP) {
                    if (tag >>> 3 != field) {
                        throw new MalformedModelException("group " + field + " ends with the tag of group "
                                + (tag >>> 3) + " before byte " + pos);
                    }
                    return;
                }
                skip(tag, depth);
            }
        }

        private void advance(int n) throws MalformedModelException {
            if (n > end - pos) {
                throw new MalformedModelException("a field needs " + n + " bytes at byte " + pos + ", only "
                        + (end - pos) + " are left");
            }
            pos += n;
        }
    }
}
