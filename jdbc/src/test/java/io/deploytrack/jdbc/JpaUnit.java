package io.deploytrack.jdbc;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import org.hibernate.jpa.HibernatePersistenceProvider;

import javax.sql.DataSource;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Boots a JPA persistence unit the way a container does (the {@link PersistenceUnitInfo} SPI), with Hibernate as the
 * provider and no framework around it: what a host's own JPA setup amounts to. Public for the integration tests, which
 * read a host's table through the host's own entity.
 */
public final class JpaUnit implements PersistenceUnitInfo {
    private final DataSource dataSource;
    private final List<String> mappingFiles;
    private final List<String> classes;

    private JpaUnit(DataSource dataSource, List<String> mappingFiles, List<String> classes) {
        this.dataSource = dataSource;
        this.mappingFiles = mappingFiles;
        this.classes = classes;
    }

    /** An EntityManagerFactory over {@code dataSource} that manages {@link DeploymentHistoryEntity} only. */
    static EntityManagerFactory open(DataSource dataSource, List<String> mappingFiles, Map<String, Object> properties) {
        return open(dataSource, mappingFiles, List.of(DeploymentHistoryEntity.class), properties);
    }

    /** An EntityManagerFactory over {@code dataSource} that manages the given entity classes. */
    public static EntityManagerFactory open(DataSource dataSource, List<String> mappingFiles, List<Class<?>> entities,
                                     Map<String, Object> properties) {
        return new HibernatePersistenceProvider().createContainerEntityManagerFactory(
                new JpaUnit(dataSource, mappingFiles, entities.stream().map(Class::getName).toList()), properties);
    }

    @Override
    public String getPersistenceUnitName() {
        return "deploytrack-history";
    }

    @Override
    public String getPersistenceProviderClassName() {
        return HibernatePersistenceProvider.class.getName();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
        return mappingFiles;
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    @Override
    public URL getPersistenceUnitRootUrl() {
        return null;
    }

    @Override
    public List<String> getManagedClassNames() {
        return classes;
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        return new Properties();
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "3.1";
    }

    @Override
    public ClassLoader getClassLoader() {
        return JpaUnit.class.getClassLoader();
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {
        // no bytecode enhancement in these tests
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return null;
    }
}
