package dev.sentikit.eval;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;

/**
 * A Tribuo {@link Model} standing for "predictions made by an external Sentikit model".
 *
 * <p>Tribuo's {@code LabelEvaluator.evaluate(Model, List<Prediction>, DataProvenance)} needs a model for two things
 * only: its label domain (which labels exist and their ids) and its provenance (recorded in the evaluation). This
 * class supplies exactly those. It has no features and cannot predict: the predictions were computed by a
 * Sentikit model running on DJL or ONNX Runtime, so {@link #predict(Example)} throws.
 *
 * <p>Its provenance holds the Sentikit model's name under {@value #MODEL_NAME_KEY} and a note under
 * {@value #SOURCE_KEY}; the dataset and trainer provenances are Tribuo's empty ones, because Tribuo neither saw the
 * training data nor trained the model. The provenance time is when this adapter was created.
 */
final class ExternalPredictionsModel extends Model<Label> {

    private static final long serialVersionUID = 1L;

    static final String MODEL_NAME_KEY = "sentikit-model";
    static final String SOURCE_KEY = "prediction-source";
    static final String SOURCE = "probabilities computed outside Tribuo by a Sentikit model (DJL or ONNX Runtime)";

    private static final boolean GENERATES_PROBABILITIES = true;

    private final String modelName;

    /**
     * @param modelName the Sentikit model's name, for provenance
     * @param labels    the label domain, with ids in Sentikit's label order
     */
    ExternalPredictionsModel(String modelName, ImmutableOutputInfo<Label> labels) {
        this(modelName, provenance(modelName), labels);
    }

    private ExternalPredictionsModel(String modelName, ModelProvenance provenance, ImmutableOutputInfo<Label> labels) {
        super(modelName, provenance, new ImmutableFeatureMap(new MutableFeatureMap()), labels,
                GENERATES_PROBABILITIES);
        this.modelName = modelName;
    }

    private static ModelProvenance provenance(String modelName) {
        Objects.requireNonNull(modelName, "modelName");
        Map<String, Provenance> instance = Map.of(
                MODEL_NAME_KEY, new StringProvenance(MODEL_NAME_KEY, modelName),
                SOURCE_KEY, new StringProvenance(SOURCE_KEY, SOURCE));
        return new ModelProvenance(ExternalPredictionsModel.class.getName(), OffsetDateTime.now(),
                new EmptyDatasetProvenance(), new EmptyTrainerProvenance(), instance);
    }

    /** @throws UnsupportedOperationException always: the predictions come from a Sentikit model, not from here */
    @Override
    public Prediction<Label> predict(Example<Label> example) {
        throw new UnsupportedOperationException("'" + modelName + "' is a Sentikit model evaluated from predictions "
                + "computed outside Tribuo; this stand-in cannot predict. Run the Sentikit model (DJL or ONNX "
                + "Runtime) and pass its probabilities to SentimentEvaluator.evaluate");
    }

    /** @return an empty map: the stand-in has no features */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    /** @return empty: the stand-in cannot explain predictions it did not make */
    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
        return new ExternalPredictionsModel(newName, newProvenance, outputIDInfo);
    }
}
