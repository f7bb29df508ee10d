import com.voxroute.classifier.Classification;
import com.voxroute.classifier.TicketClassifier;
import com.voxroute.intake.Ticket;
import com.voxroute.pipeline.Pipeline;
import com.voxroute.pipeline.PipelineConfig;
import com.voxroute.routing.CapacityAwareRouter;
import com.voxroute.routing.ControlEvent;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;

/** Writes replay-data/journal-v1 with the layout-v1 build (commit 126105f). */
public class WriteJournalV1 {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        Path rules = Path.of(a[1]);
        Map<String, String[]> cls = new LinkedHashMap<>();
        TicketClassifier c = new TicketClassifier() {
            public Classification classify(String text) {
                String cat = text.contains("卡") || text.contains("card") ? "card_arrival"
                        : text.contains("refund") || text.contains("退款") ? "request_refund"
                        : text.contains("stolen") ? "lost_or_stolen_card" : "exchange_rate";
                double conf = text.length() % 2 == 0 ? 0.91 : 0.64;
                List<String> flags = text.contains("stolen") ? List.of("fraud") : List.of();
                return new Classification(cat, conf, false, null, List.of(new Classification.CategoryScore(cat, conf)),
                        flags, null, new Classification.Explanation(List.of("t1", "t2"), List.of()));
            }
            public String modelVersion() { return "fixture-v1"; }
            public List<String> categories() { return List.of("card_arrival", "request_refund", "lost_or_stolen_card", "exchange_rate"); }
        };
        long[] now = {1764291600000L}; // 2025-11-28T01:00:00Z
        PipelineConfig cfg = new PipelineConfig().dataDir(dir).epochClock(() -> now[0]).nanoClock(() -> 0L);
        String[][] tickets = {
                {"v1-001", "My new card has not arrived yet", "app", "standard", "en"},
                {"v1-002", "我的卡还没有寄到，已经两个星期了", "phone", "vip", "zh"},
                {"v1-003", "I want a refund for the double charge", "web", "priority", "en"},
                {"v1-004", "My card was stolen last night, please block it", "phone", "standard", "en"},
                {"v1-005", "汇率是怎么计算的？", "app", "standard", "zh"},
                {"v1-006", "请帮我办理退款", "branch", "standard", "zh"},
        };
        try (Pipeline p = Pipeline.start(cfg, c, CapacityAwareRouter.fromYaml(rules))) {
            int i = 0;
            for (String[] t : tickets) {
                now[0] += 60_000;
                p.offer(new Ticket(t[0], t[1], t[2], t[3], "GB", t[4], null, null), 0, null);
                p.awaitIdle(Duration.ofSeconds(5));
                if (++i == 3) {
                    now[0] += 1000;
                    p.tryOfferControl(new ControlEvent(ControlEvent.Type.RESOLVED, "v1-001", null, null, 0, null, 0), null);
                    p.awaitIdle(Duration.ofSeconds(5));
                }
            }
            now[0] += 1000;
            p.tryOfferControl(new ControlEvent(ControlEvent.Type.TICK, null, null, null, 0, null, 0), null);
            p.awaitIdle(Duration.ofSeconds(5));
        }
    }
}
