package io.deploytrack.jdbc.internal.jpa;

import io.deploytrack.jdbc.internal.Times;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.Instant;

/**
 * SQLite only: an {@link Instant} as the fixed-width ISO-8601 UTC text deploytrack's SQLite schema keeps
 * ({@code 2026-03-01T10:00:00.000Z}), read with the same tolerant parser the store uses. Applied to the time
 * attributes of {@code DeploymentHistoryEntity} by the SQLite mapping file
 * ({@code DeploymentHistoryEntity.SQLITE_MAPPING_FILE}); on PostgreSQL the provider maps {@code Instant} to
 * {@code timestamptz} natively and this class is not used. Not public API.
 */
@Converter
public class SqliteInstantConverter implements AttributeConverter<Instant, String> {

    /** For the JPA provider. */
    public SqliteInstantConverter() {
    }

    @Override
    public String convertToDatabaseColumn(Instant value) {
        return value == null ? null : Times.format(value);
    }

    @Override
    public Instant convertToEntityAttribute(String text) {
        return Times.parse(text);
    }
}
