package dev.kontract.core.rules.jsonata;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.GeneratedMessage;
import com.google.protobuf.Message;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a field of a generated Protobuf message through its generated getter, called directly, instead
 * of {@code Message.getField}, which goes through reflection (and copies repeated fields into a new
 * list). Built once per message class and field (and kept); a field whose getter cannot be found or called this
 * way is read with {@code getField}, as is every field of a {@code DynamicMessage}. Values are what the
 * JSON view shows, exactly as {@link Values#protobufField} gives them.
 */
final class ProtobufAccessors {

    /** Reads one field of messages of one class, as a value. */
    interface Accessor {
        Object read(Message message);
    }

    /** Accessors built so far, by message class and field: a getter is bound once, whoever asks. */
    private static final ClassValue<Map<FieldDescriptor, Accessor>> BUILT = new ClassValue<>() {
        @Override
        protected Map<FieldDescriptor, Accessor> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private ProtobufAccessors() {}

    static Accessor of(Class<?> type, FieldDescriptor field) {
        return BUILT.get(type).computeIfAbsent(field, f -> build(type, f));
    }

    private static Accessor build(Class<?> type, FieldDescriptor field) {
        Accessor generic = message -> Values.protobufField(message, field);
        if (!GeneratedMessage.class.isAssignableFrom(type) || field.isMapField()
                || field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
            return generic;
        }
        try {
            String camel = camel(field.getName());
            if (field.isRepeated()) {
                return getter(type, "get" + camel + "List", List.class);
            }
            Accessor get;
            if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                Accessor number = getter(type, "get" + camel + "Value", int.class);
                var enumType = field.getEnumType();
                get = message -> enumType.findValueByNumberCreatingIfUnknown((Integer) number.read(message)).getName();
            } else {
                Accessor getter = getter(type, "get" + camel, expectedType(field));
                get = isValueAsReturned(field) ? getter : message -> Values.of(getter.read(message));
            }
            if (field.hasPresence()) {
                Accessor has = getter(type, "has" + camel, boolean.class);
                return message -> (Boolean) has.read(message) ? get.read(message) : null;
            }
            return get;
        } catch (Throwable e) {
            return generic;
        }
    }

    /** Whether the getter's (boxed) result is already the value {@link Values#of} would give. */
    private static boolean isValueAsReturned(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case INT, LONG, DOUBLE, BOOLEAN, STRING -> true;
            default -> false;
        };
    }

    private static Class<?> expectedType(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case INT -> int.class;
            case LONG -> long.class;
            case FLOAT -> float.class;
            case DOUBLE -> double.class;
            case BOOLEAN -> boolean.class;
            case STRING -> String.class;
            case BYTE_STRING -> ByteString.class;
            case ENUM -> int.class;
            case MESSAGE -> Message.class;
        };
    }

    /**
     * A public getter of {@code type}, checked to return {@code expected}, as an accessor that calls it
     * directly: one class per getter, so the call is not shared with other fields' getters.
     */
    private static Accessor getter(Class<?> type, String name, Class<?> expected) throws Throwable {
        Method method = type.getMethod(name);
        if (method.getDeclaringClass() != type) {
            // protoc renames a field whose getter would clash with Message's own (serialized_size ...)
            throw new NoSuchMethodException(name + " is inherited from " + method.getDeclaringClass().getName());
        }
        Class<?> returned = method.getReturnType();
        if (expected.isPrimitive() ? returned != expected : !expected.isAssignableFrom(returned)) {
            throw new NoSuchMethodException(name + " returns " + returned);
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle target = lookup.unreflect(method);
        if (visible(type)) {
            CallSite site = LambdaMetafactory.metafactory(lookup, "read", MethodType.methodType(Accessor.class),
                    MethodType.methodType(Object.class, Message.class), target,
                    MethodType.methodType(MethodType.methodType(returned).wrap().returnType(), type));
            return (Accessor) site.getTarget().invokeExact();
        }
        MethodHandle generic = target.asType(MethodType.methodType(Object.class, Message.class));
        return message -> {
            try {
                return generic.invokeExact(message);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Whether the class resolves from this library's class loader, as a generated lambda must reach it. */
    private static boolean visible(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, ProtobufAccessors.class.getClassLoader()) == type;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The generated accessors' name for a field: protoc's camel case with a capital first letter. */
    static String camel(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean capitalizeNext = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append(capitalizeNext ? Character.toUpperCase(c) : c);
                capitalizeNext = false;
            } else if (c >= 'A' && c <= 'Z') {
                out.append(c);
                capitalizeNext = false;
            } else if (c >= '0' && c <= '9') {
                out.append(c);
                capitalizeNext = true;
            } else {
                capitalizeNext = true;
            }
        }
        return out.toString();
    }
}
