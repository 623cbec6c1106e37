package io.deploytrack.jdbc.internal.jpa;

import io.deploytrack.core.DeploymentStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Maps {@link DeploymentStatus} to the lowercase word the {@code status} column holds ({@code timed_out}), not to the
 * enum constant's name ({@code TIMED_OUT}) that JPA's own {@code EnumType.STRING} would use. Used by
 * {@code DeploymentHistoryEntity}; not public API.
 */
@Converter
public class DeploymentStatusConverter implements AttributeConverter<DeploymentStatus, String> {

    /** For the JPA provider. */
    public DeploymentStatusConverter() {
    }

    @Override
    public String convertToDatabaseColumn(DeploymentStatus status) {
        return status == null ? null : status.word();
    }

    @Override
    public DeploymentStatus convertToEntityAttribute(String word) {
        return word == null ? null : DeploymentStatus.fromWord(word);
    }
}
