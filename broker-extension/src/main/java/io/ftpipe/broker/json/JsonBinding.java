package io.ftpipe.broker.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the JSON a person writes (the extension's configuration file, a CoAP job request) onto
 * records, strictly, and is the one place Jackson's exceptions become messages for that person.
 *
 * <p>Strict: an unknown key, a key given twice, {@code null}, or a value of another type is an
 * error, never a default or a conversion — a quoted {@code "5000"} or a {@code 1.5} where an
 * integer belongs usually means someone edited the wrong field, and the file is the contract. A
 * record component that is absent from the JSON is {@code null}: the caller's default applies.
 *
 * <p>Messages say what the record expects: a component's {@code @JsonPropertyDescription} if it
 * has one, else a phrase for its type ("an integer", "an array", "an object with id, role").
 */
public final class JsonBinding {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private JsonBinding() {
    }

    /**
     * The tree of {@code json}, for the caller to check its shape (an object, say) before binding.
     *
     * @throws JsonBindingException of kind {@code SYNTAX}, "is not valid JSON: ... (line, column)"
     */
    public static JsonNode parse(String json) throws JsonBindingException {
        try {
            return STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new JsonBindingException(JsonBindingException.Kind.SYNTAX,
                    "is not valid JSON: " + e.getOriginalMessage() + at, e);
        }
    }

    /** {@code tree} as a {@code type}; components absent from it are null. */
    public static <T> T bind(JsonNode tree, Class<T> type) throws JsonBindingException {
        JavaType root = STRICT.constructType(type);
        T value;
        try {
            value = STRICT.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            List<Object> owner = path(e);
            owner.remove(owner.size() - 1);
            String known = String.join(", ", keys(target(root, owner).type()));
            String unknown = "unknown key '" + e.getPropertyName() + "' (known keys: " + known + ")";
            throw new JsonBindingException(JsonBindingException.Kind.UNKNOWN_KEY,
                    owner.isEmpty() ? unknown : at(owner) + " has an " + unknown, e);
        } catch (JsonMappingException e) {
            throw badValue(tree, root, path(e), e);
        } catch (JsonProcessingException e) {
            throw new JsonBindingException(JsonBindingException.Kind.BAD_VALUE, e.getOriginalMessage(), e);
        }
        // Jackson cannot tell an explicit null from an absent key in a record; only absence means "the default".
        Optional<List<Object>> explicitNull = firstNull(tree, new ArrayList<>());
        if (explicitNull.isPresent()) {
            throw badValue(tree, root, explicitNull.get(), null);
        }
        return value;
    }

    /** The JSON keys of a record, in the order of its components. */
    public static List<String> keys(Class<?> type) {
        return keys(STRICT.constructType(type));
    }

    /** {@code value} as JSON text, to show a bad value in a message as it was written. */
    public static String json(Object value) {
        try {
            return STRICT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always serialise", e);
        }
    }

    private static List<String> keys(JavaType type) {
        return properties(type).stream().map(BeanPropertyDefinition::getName).toList();
    }

    private static List<BeanPropertyDefinition> properties(JavaType type) {
        return STRICT.getDeserializationConfig().introspect(type).findProperties();
    }

    private static JsonBindingException badValue(JsonNode tree, JavaType root, List<Object> path, Exception cause) {
        Target target = target(root, path);
        if (target == null) {
            return new JsonBindingException(JsonBindingException.Kind.BAD_VALUE,
                    cause == null ? "bad value at " + at(path) : cause.getMessage(), cause);
        }
        JsonNode node = node(tree, path);
        Class<?> raw = target.type().getRawClass();
        boolean intTarget = raw == Integer.class || raw == int.class;
        if (intTarget && node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return new JsonBindingException(JsonBindingException.Kind.BAD_VALUE,
                    at(path) + " is out of range: " + node, cause);
        }
        // A scalar shows as written; a section shows as its kind, which is what went wrong there.
        boolean section = target.type().isContainerType() || kind(target.type()) == null;
        String got = node == null ? "nothing" : section ? node.getNodeType().toString().toLowerCase() : node.toString();
        return new JsonBindingException(JsonBindingException.Kind.BAD_VALUE,
                at(path) + " must be " + target.expected() + ", got " + got, cause);
    }

    /** The type a path leads to in the record, and what a value there must be; null if it leads nowhere. */
    private static Target target(JavaType root, List<Object> path) {
        JavaType type = root;
        String description = null;
        for (Object step : path) {
            if (step instanceof Integer) {
                type = type.getContentType();
                description = null;
            } else {
                BeanPropertyDefinition property = properties(type).stream()
                        .filter(p -> p.getName().equals(step)).findFirst().orElse(null);
                if (property == null) {
                    return null;
                }
                type = property.getPrimaryType();
                description = property.getMetadata().getDescription();
            }
            if (type == null) {
                return null;
            }
        }
        return new Target(type, description != null ? description : describe(type));
    }

    private record Target(JavaType type, String expected) {
    }

    private static String describe(JavaType type) {
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return "an array";
        }
        String kind = kind(type);
        return kind != null ? kind : "an object with " + String.join(", ", keys(type));
    }

    /** What a scalar type expects; null for a record or other object. */
    private static String kind(JavaType type) {
        Class<?> raw = type.isPrimitive() ? boxed(type.getRawClass()) : type.getRawClass();
        if (raw == Integer.class || raw == Long.class || raw == Short.class || raw == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(raw)) {
            return "a number";
        }
        if (raw == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(raw)) {
            return "a string";
        }
        return null;
    }

    private static Class<?> boxed(Class<?> primitive) {
        return primitive == int.class ? Integer.class : primitive == long.class ? Long.class
                : primitive == short.class ? Short.class : primitive == boolean.class ? Boolean.class : Double.class;
    }

    private static Optional<List<Object>> firstNull(JsonNode node, List<Object> path) {
        if (node.isNull()) {
            return Optional.of(path);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Optional<List<Object>> found = firstNull(field.getValue(), append(path, field.getKey()));
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<List<Object>> found = firstNull(node.get(i), append(path, i));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    private static List<Object> path(JsonMappingException e) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
        }
        return path;
    }

    private static JsonNode node(JsonNode tree, List<Object> path) {
        JsonNode node = tree;
        for (Iterator<Object> steps = path.iterator(); node != null && steps.hasNext(); ) {
            Object step = steps.next();
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    /** {@code security.devices[2].passwordHash}. */
    private static String at(List<Object> path) {
        StringBuilder at = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                at.append('[').append(i).append(']');
            } else {
                at.append(at.length() == 0 ? "" : ".").append(step);
            }
        }
        return at.toString();
    }
}
