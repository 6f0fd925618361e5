package org.retina.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.retina.onnx.proto.Onnx.TensorProto;
import org.retina.onnx.proto.Onnx.TensorProto.DataType;

/** Conversions between ONNX's {@code TensorProto} (typed fields or little-endian raw bytes) and {@link Const}. */
final class Tensors {
    private Tensors() {
    }

    /** The values of a tensor of any numeric type; {@code what} names it in errors. */
    static Const read(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new OnnxException(what + ": tensor '" + t.getName() + "' keeps its data in an external file, which"
                    + " Retina does not read; save the model with its weights inside (onnx.save with"
                    + " save_as_external_data=False)");
        }
        long[] dims = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) {
                throw new OnnxException(what + ": tensor '" + t.getName() + "' has dimension " + dims[i]);
            }
            count *= dims[i];
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw new OnnxException(what + ": tensor '" + t.getName() + "' holds " + count + " values, too many");
        }
        int n = (int) count;
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new OnnxException(what + ": tensor '" + t.getName() + "' has unknown data type " + t.getDataType());
        }
        ByteString raw = t.getRawData();
        boolean useRaw = !raw.isEmpty();
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> throw new OnnxException(what + ": tensor '" + t.getName() + "' is of type " + type
                    + ", expected a number type (float, double, int8 to int64, uint8 to uint64, float16, bool)");
        };
        int stored = useRaw ? raw.size() / width : switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (stored != n || (useRaw && raw.size() != (long) n * width)) {
            throw new OnnxException(what + ": tensor '" + t.getName() + "' of dims " + java.util.Arrays.toString(dims)
                    + " needs " + n + " values, it holds " + (useRaw ? raw.size() + " bytes" : stored + " values"));
        }
        // allocated only now that the file was seen to hold every value
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = useRaw ? rawValue(b, i, type) : typedValue(t, i, type);
        }
        return new Const(dims, v, t.getDataType());
    }

    private static double rawValue(ByteBuffer b, int i, DataType type) {
        return switch (type) {
            case FLOAT -> b.getFloat(i * 4);
            case DOUBLE -> b.getDouble(i * 8);
            case INT64 -> b.getLong(i * 8);
            case UINT64 -> Double.parseDouble(Long.toUnsignedString(b.getLong(i * 8)));
            case INT32 -> b.getInt(i * 4);
            case UINT32 -> Integer.toUnsignedLong(b.getInt(i * 4));
            case INT16 -> b.getShort(i * 2);
            case UINT16 -> Short.toUnsignedInt(b.getShort(i * 2));
            case FLOAT16 -> Float.float16ToFloat(b.getShort(i * 2));
            case BFLOAT16 -> Float.intBitsToFloat(Short.toUnsignedInt(b.getShort(i * 2)) << 16);
            case INT8 -> b.get(i);
            default -> Byte.toUnsignedInt(b.get(i));
        };
    }

    private static double typedValue(TensorProto t, int i, DataType type) {
        return switch (type) {
            case FLOAT -> t.getFloatData(i);
            case DOUBLE -> t.getDoubleData(i);
            case INT64 -> t.getInt64Data(i);
            case UINT32, UINT64 -> Double.parseDouble(Long.toUnsignedString(t.getUint64Data(i)));
            case FLOAT16 -> Float.float16ToFloat((short) t.getInt32Data(i));
            case BFLOAT16 -> Float.intBitsToFloat((t.getInt32Data(i) & 0xFFFF) << 16);
            default -> t.getInt32Data(i);
        };
    }

    /** A float32 tensor named {@code name}, its data as little-endian raw bytes. */
    static TensorProto floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** An int64 tensor (shapes, pads, axes). */
    static TensorProto longs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static java.util.List<Long> boxed(long[] dims) {
        java.util.List<Long> l = new java.util.ArrayList<>(dims.length);
        for (long d : dims) {
            l.add(d);
        }
        return l;
    }
}
