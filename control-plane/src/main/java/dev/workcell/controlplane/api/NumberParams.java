package dev.workcell.controlplane.api;

import dev.workcell.controlplane.errors.InvalidRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;

/**
 * Integer query parameters that are not a number in range are the client's error, 400 naming the
 * parameter (as {@code page_size}, the field's proto name), where JAX-RS would answer 404.
 */
@Provider
public class NumberParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != Integer.class && rawType != int.class) {
            return null;
        }
        String field = Arrays.stream(annotations)
                .filter(QueryParam.class::isInstance)
                .map(QueryParam.class::cast)
                .map(param ->
                        param.value().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase())
                .findFirst()
                .orElse("parameter");
        return (ParamConverter<T>) new ParamConverter<Integer>() {
            @Override
            public Integer fromString(String value) {
                try {
                    return Integer.valueOf(value.trim());
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException(
                            field,
                            "'" + value + "' is not a whole number between " + Integer.MIN_VALUE + " and "
                                    + Integer.MAX_VALUE);
                }
            }

            @Override
            public String toString(Integer value) {
                return value.toString();
            }
        };
    }
}
