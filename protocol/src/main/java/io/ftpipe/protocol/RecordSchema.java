package io.ftpipe.protocol;

import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/**
 * A record's fields on the wire, one {@link WireField} per record component in the order of the
 * components, which is the order they are written in: encoding reads each component through its
 * accessor, decoding reads each field and calls the canonical constructor. So every field is
 * declared once, and the number of map entries follows from the fields. As a field itself, a
 * schema is a part whose fields sit in the enclosing map.
 */
final class RecordSchema<R extends Record> implements WireField {
    private final Class<R> type;
    private final List<WireField> fields;
    private final List<MethodHandle> accessors;
    private final MethodHandle constructor;
    private final int entries;

    /** @throws IllegalArgumentException if the fields do not match the record's components one for one */
    RecordSchema(Class<R> type, WireField... fields) {
        RecordComponent[] components = type.getRecordComponents();
        if (components.length != fields.length) {
            throw new IllegalArgumentException(type.getSimpleName() + " has " + components.length
                    + " components, its schema " + fields.length + " fields");
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?>[] types = new Class<?>[components.length];
        MethodHandle[] getters = new MethodHandle[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                if (types[i] != fields[i].type()) {
                    throw new IllegalArgumentException(type.getSimpleName() + "." + components[i].getName() + " is a "
                            + types[i].getSimpleName() + ", its field a " + fields[i].type().getSimpleName());
                }
                getters[i] = lookup.unreflect(components[i].getAccessor()).asType(MethodType.methodType(Object.class,
                        Object.class));
            }
            this.constructor = lookup.findConstructor(type, MethodType.methodType(void.class, types))
                    .asSpreader(Object[].class, types.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " must be a public record", e);
        }
        this.type = type;
        this.fields = List.of(fields);
        this.accessors = List.of(getters);
        this.entries = Arrays.stream(fields).mapToInt(WireField::entries).sum();
    }

    @Override
    public Class<R> type() {
        return type;
    }

    @Override
    public int entries() {
        return entries;
    }

    @Override
    public int entries(Object record) {
        int n = 0;
        for (int i = 0; i < fields.size(); i++) {
            n += fields.get(i).entries(invoke(accessors.get(i), record));
        }
        return n;
    }

    @Override
    public void write(MessagePacker p, Object record) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            fields.get(i).write(p, invoke(accessors.get(i), record));
        }
    }

    @Override
    public R read(Fields f) {
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = fields.get(i).read(f);
        }
        return type.cast(invoke(constructor, values));
    }

    private static Object invoke(MethodHandle handle, Object argument) {
        try {
            return handle.invoke(argument);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("a record accessor or constructor threw " + e, e);
        }
    }
}
