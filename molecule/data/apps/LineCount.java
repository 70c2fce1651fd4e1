// The pipeline tests' JAR application: the number of lines at args[0], printed as
// `APP_RESULT <count>`. Spark's bed archive has no examples jar, so the test builds
// this one with the host's javac against the archive's spark-core.
package pipeline;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

public final class LineCount {
    public static void main(String[] args) {
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("pipeline-jar"));
        System.out.println("APP_RESULT " + sc.textFile(args[0]).count());
        sc.stop();
    }
}
