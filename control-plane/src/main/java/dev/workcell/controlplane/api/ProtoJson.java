package dev.workcell.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.workcell.controlplane.errors.InvalidRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * REST bodies are the gRPC messages in protobuf's canonical JSON mapping, so both APIs share one
 * contract and one set of checks. The body must be UTF-8; enum values are accepted in any case;
 * each refusal names its field ({@link JsonFields}, or the parser's message for unknown fields).
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
public class ProtoJson implements MessageBodyReader<Message>, MessageBodyWriter<Message> {

    private static final ObjectMapper JSON_TREE = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Message.class.isAssignableFrom(type);
    }

    @Override
    public Message readFrom(
            Class<Message> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders,
            InputStream entity)
            throws IOException {
        byte[] bytes = entity.readAllBytes();
        boolean invalidUtf8 = !isUtf8(bytes);
        String json = new String(bytes, StandardCharsets.UTF_8);
        if (json.isBlank()) {
            throw new InvalidRequestException("body", "required: a JSON object");
        }
        Message.Builder builder = newBuilder(type);
        JsonNode tree;
        try {
            tree = JSON_TREE.readTree(json);
        } catch (JsonProcessingException e) {
            tree = null; // protobuf's parser says what is wrong below
        }
        if (tree != null) {
            JsonFields.check(tree, builder.getDescriptorForType(), invalidUtf8);
            json = tree.toString();
        }
        if (invalidUtf8) {
            throw new InvalidRequestException("body", "not valid UTF-8 (the body must be UTF-8 text)");
        }
        try {
            PARSER.merge(json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidRequestException(
                    "body", "not a valid " + builder.getDescriptorForType().getName() + ": " + e.getMessage());
        }
        return builder.build();
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Message.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            Message message,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders,
            OutputStream entityStream)
            throws IOException {
        entityStream.write(PRINTER.print(message).getBytes(StandardCharsets.UTF_8));
    }

    private static Message.Builder newBuilder(Class<Message> type) {
        try {
            return (Message.Builder) type.getMethod("newBuilder").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a generated protobuf message", e);
        }
    }
}
