package dev.kontract.core.format;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kontract.core.SchemaType;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A Protobuf message schema of a contract version, from a generated message class or from a
 * descriptor-set file ({@code protoc --include_imports --descriptor_set_out=...}).
 */
public final class ProtobufContractSchema implements ContractSchema {

    private static final Map<String, FileDescriptor> WELL_KNOWN = wellKnownFiles();

    private final Descriptor descriptor;
    private final Class<? extends Message> messageClass;

    private ProtobufContractSchema(Descriptor descriptor, Class<? extends Message> messageClass) {
        this.descriptor = Objects.requireNonNull(descriptor);
        this.messageClass = messageClass;
    }

    /**
     * Uses a generated message class.
     *
     * @throws IllegalArgumentException when the class is missing or not a generated message
     */
    public static ProtobufContractSchema ofClass(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("Protobuf message class " + className + " is not on the classpath", e);
        }
        if (!Message.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " is not a generated Protobuf message class");
        }
        try {
            Descriptor descriptor = (Descriptor) type.getMethod("getDescriptor").invoke(null);
            return new ProtobufContractSchema(descriptor, type.asSubclass(Message.class));
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalArgumentException("cannot read the descriptor of " + className + ": " + cause, cause);
        }
    }

    /**
     * Uses message {@code messageName} (full name, e.g. {@code customer.v1.Account}) from a
     * serialized {@code FileDescriptorSet}.
     *
     * @throws IllegalArgumentException when the bytes are not a descriptor set, a file's imports are
     *     missing, or the message is not in it
     */
    public static ProtobufContractSchema ofDescriptorSet(byte[] descriptorSet, String messageName) {
        FileDescriptorSet set;
        try {
            set = FileDescriptorSet.parseFrom(descriptorSet);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a Protobuf descriptor set: " + e.getMessage(), e);
        }
        Map<String, FileDescriptorProto> protos = set.getFileList().stream()
                .collect(Collectors.toMap(FileDescriptorProto::getName, Function.identity(), (a, b) -> a));
        Map<String, FileDescriptor> built = new HashMap<>();
        for (FileDescriptorProto proto : set.getFileList()) {
            FileDescriptor file = build(proto.getName(), protos, built, new HashSet<>());
            Optional<Descriptor> found = findMessage(file.getMessageTypes(), messageName);
            if (found.isPresent()) {
                return new ProtobufContractSchema(found.get(), null);
            }
        }
        throw new IllegalArgumentException("message " + messageName + " is not in the descriptor set (it has "
                + set.getFileList().stream()
                        .flatMap(f -> f.getMessageTypeList().stream()
                                .map(m -> (f.getPackage().isEmpty() ? "" : f.getPackage() + ".") + m.getName()))
                        .collect(Collectors.joining(", "))
                + ")");
    }

    private static FileDescriptor build(
            String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built, Set<String> visiting) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            FileDescriptor wellKnown = WELL_KNOWN.get(name);
            if (wellKnown != null) {
                return wellKnown;
            }
            throw new IllegalArgumentException("the descriptor set lacks imported file " + name
                    + " (build it with protoc --include_imports)");
        }
        if (!visiting.add(name)) {
            throw new IllegalArgumentException("import cycle through " + name);
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, protos, built, visiting));
        }
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("invalid descriptor for " + name + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Descriptor> findMessage(List<Descriptor> types, String fullName) {
        for (Descriptor type : types) {
            if (type.getFullName().equals(fullName)) {
                return Optional.of(type);
            }
            Optional<Descriptor> nested = findMessage(type.getNestedTypes(), fullName);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    private static Map<String, FileDescriptor> wellKnownFiles() {
        Map<String, FileDescriptor> files = new HashMap<>();
        for (FileDescriptor file : List.of(
                com.google.protobuf.TimestampProto.getDescriptor(),
                com.google.protobuf.DurationProto.getDescriptor(),
                com.google.protobuf.WrappersProto.getDescriptor(),
                com.google.protobuf.StructProto.getDescriptor(),
                com.google.protobuf.EmptyProto.getDescriptor(),
                com.google.protobuf.AnyProto.getDescriptor(),
                com.google.protobuf.FieldMaskProto.getDescriptor())) {
            files.put(file.getName(), file);
        }
        return Map.copyOf(files);
    }

    public Descriptor descriptor() {
        return descriptor;
    }

    /** The generated class, when the contract names one; records are then built as that class. */
    public Optional<Class<? extends Message>> messageClass() {
        return Optional.ofNullable(messageClass);
    }

    @Override
    public SchemaType type() {
        return SchemaType.PROTOBUF;
    }

    @Override
    public String name() {
        return descriptor.getFullName();
    }

    @Override
    public List<String> readProblems(ContractSchema writer) {
        List<String> problems = new ArrayList<>();
        compare(descriptor, ((ProtobufContractSchema) writer).descriptor, "", problems, new HashSet<>());
        return problems;
    }

    private static void compare(Descriptor reader, Descriptor writer, String path, List<String> problems, Set<String> seen) {
        if (!seen.add(reader.getFullName() + "<-" + writer.getFullName())) {
            return;
        }
        for (FieldDescriptor written : writer.getFields()) {
            FieldDescriptor read = reader.findFieldByNumber(written.getNumber());
            if (read == null) {
                continue;
            }
            String where = path + read.getName();
            if (!read.getName().equals(written.getName())) {
                problems.add("field number " + written.getNumber() + " is '" + written.getName() + "' in one version and '"
                        + read.getName() + "' in the other (a field number must not be reused or renamed within a major)");
                continue;
            }
            if (read.isRepeated() != written.isRepeated() || read.isMapField() != written.isMapField()) {
                problems.add("field '" + where + "' (" + read.getNumber() + ") changed between repeated and singular");
                continue;
            }
            if (!wireCompatible(read, written)) {
                problems.add("field '" + where + "' (" + read.getNumber() + ") changed type from "
                        + typeName(written) + " to " + typeName(read));
                continue;
            }
            if (read.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                compare(read.getMessageType(), written.getMessageType(), where + ".", problems, seen);
            }
        }
        for (FieldDescriptor read : reader.getFields()) {
            if (read.isRequired() && writer.findFieldByNumber(read.getNumber()) == null) {
                problems.add("required field '" + path + read.getName() + "' (" + read.getNumber()
                        + ") is missing on the other side");
            }
        }
    }

    private static boolean wireCompatible(FieldDescriptor a, FieldDescriptor b) {
        return a.getType() == b.getType() || (wireGroup(a.getType()) != 0 && wireGroup(a.getType()) == wireGroup(b.getType()));
    }

    private static int wireGroup(FieldDescriptor.Type type) {
        return switch (type) {
            case INT32, UINT32, INT64, UINT64, BOOL -> 1;
            case SINT32, SINT64 -> 2;
            case FIXED32, SFIXED32 -> 3;
            case FIXED64, SFIXED64 -> 4;
            case STRING, BYTES -> 5;
            default -> 0;
        };
    }

    private static String typeName(FieldDescriptor field) {
        return switch (field.getType()) {
            case MESSAGE, GROUP -> field.getMessageType().getFullName();
            case ENUM -> field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProtobufContractSchema that
                && descriptor.toProto().equals(that.descriptor.toProto())
                && descriptor.getFile().toProto().equals(that.descriptor.getFile().toProto());
    }

    @Override
    public int hashCode() {
        return descriptor.getFullName().hashCode();
    }

    @Override
    public String toString() {
        return "PROTOBUF " + name();
    }
}
