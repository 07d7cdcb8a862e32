package dev.workcell.operator.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the resource's namespace: where a credential is read from. */
public record SecretKeyRef(
        @Required
        @Pattern(Names.DNS_SUBDOMAIN)
        @JsonPropertyDescription("Name of the Secret, in the resource's namespace.")
        String name,

        @Required @Pattern(Names.SECRET_KEY) @JsonPropertyDescription("Key in the Secret's data.")
        String key) {

    @Override
    public String toString() {
        return "Secret " + name + " key " + key;
    }
}
