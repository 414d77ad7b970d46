package dev.sentikit.train;

import dev.sentikit.architecture.Architecture;
import dev.sentikit.architecture.Architectures;
import dev.sentikit.architecture.WordEmbeddingSettings;
import dev.sentikit.train.data.DataReader;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.train.data.LabeledText;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The committed training fixture and small training settings that make tests fast. */
public final class Fixtures {

    /** 1,500 VADER rows, 500 per label (see src/test/resources/fixtures/README.md). */
    public static final String VADER_SAMPLE = "/fixtures/vader-sample-1500.tsv";

    private Fixtures() {}

    public static Path vaderSample() {
        try {
            return Path.of(Fixtures.class.getResource(VADER_SAMPLE).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture as examples. */
    public static Examples vaderExamples() throws Exception {
        LabeledData data = DataReader.builder().build().read(vaderSample());
        List<String> texts = new ArrayList<>();
        for (LabeledText row : data.rows()) {
            texts.add(row.text());
        }
        return new Examples(data.labels(), texts, data.labelIndices());
    }

    /** Settings that learn the fixture in a few seconds on two cores: a bag of width 32. */
    public static TrainingConfig.Builder smallConfig() {
        return smallConfig(Architectures.parse("bag"));
    }

    /** {@link #smallConfig()} for {@code architecture}, one of those that train their embedding from scratch. */
    public static TrainingConfig.Builder smallConfig(Architecture architecture) {
        return TrainingConfig.builder().optArchitecture(architecture, WordEmbeddingSettings.defaults()
                .withEmbeddingDim(32)).optEpochs(6).optBatchSize(32).optMinCount(1).optLearningRate(5e-3f).optSeed(7);
    }
}
