package io.waybill.opsapi.aws;

import io.waybill.opsapi.Page;
import io.waybill.opsapi.PageTokenRefused;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cursor pages over a reference store: a sorted list of keys "k00".."k(n-1)" read from an exclusive start key, as
 * DynamoDB reads a table. Expected pages are written out by hand.
 */
class KeyPagerTest {
    private static final Set<String> KEY = Set.of("id");

    /** The store: items k00..k(n-1) in key order; a read returns up to {@code limit} after the start key. */
    private static KeyPager.Reader store(int n, List<Integer> readSizes) {
        return (start, limit) -> {
            int from = start == null ? 0 : Integer.parseInt(start.get("id").s().substring(1)) + 1;
            int to = Math.min(n, from + limit);
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = from; i < to; i++) {
                items.add(Map.of("id", AttributeValue.builder().s(String.format("k%02d", i)).build(),
                        "n", AttributeValue.builder().n(String.valueOf(i)).build()));
            }
            readSizes.add(items.size());
            return new KeyPager.Round(items, to < n ? Map.of("id", items.get(items.size() - 1).get("id")) : null);
        };
    }

    private static Page<Integer> page(KeyPager.Reader r, String token, int limit, java.util.function.IntPredicate keep) {
        return KeyPager.page(r, item -> Integer.parseInt(item.get("n").n()), keep::test, KEY, "f", token, limit);
    }

    @Test
    void pagesWalkEveryMatchOnceAndStopAtTheEnd() {
        List<Integer> reads = new ArrayList<>();
        KeyPager.Reader r = store(7, reads);
        // the even numbers of 0..6, two a page: [0,2], [4,6], and the second page is the last
        Page<Integer> p1 = page(r, null, 2, i -> i % 2 == 0);
        assertThat(p1.items()).containsExactly(0, 2);
        assertThat(p1.nextPageToken()).isNotNull();
        Page<Integer> p2 = page(r, p1.nextPageToken(), 2, i -> i % 2 == 0);
        assertThat(p2.items()).containsExactly(4, 6);
        assertThat(p2.nextPageToken()).isNull(); // 6 was the store's last item
    }

    @Test
    void aSparseFilterGivesAShortPageWithATokenRatherThanALongRead() {
        List<Integer> reads = new ArrayList<>();
        // 2,500 items, only 2,499 matches: 10 rounds of 100 read nothing, then the page ends with a token
        Page<Integer> p = page(store(2_500, reads), null, 5, i -> i == 2_499);
        assertThat(p.items()).isEmpty();
        assertThat(reads).hasSize(10);
        assertThat(p.nextPageToken()).isNotNull();
        // the next request reads items 1,000..1,999 (10 rounds, nothing); the third finds 2,499
        Page<Integer> next = page(store(2_500, reads), p.nextPageToken(), 5, i -> i == 2_499);
        assertThat(next.items()).isEmpty();
        Page<Integer> last = page(store(2_500, reads), next.nextPageToken(), 5, i -> i == 2_499);
        assertThat(last.items()).containsExactly(2_499);
        assertThat(last.nextPageToken()).isNull();
    }

    @Test
    void tokensOfOtherFiltersOrForgedOnesAreRefused() {
        Page<Integer> p = page(store(7, new ArrayList<>()), null, 2, i -> true);
        assertThatThrownBy(() -> KeyPager.page(store(7, new ArrayList<>()), item -> 0, x -> true, KEY, "other filters",
                p.nextPageToken(), 2)).isInstanceOf(PageTokenRefused.class).hasMessageContaining("other filters");
        assertThatThrownBy(() -> page(store(7, new ArrayList<>()), "not*base64", 2, i -> true))
                .isInstanceOf(PageTokenRefused.class);
        String otherKey = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"f\":\"f\",\"k\":{\"pk\":\"x\"}}".getBytes());
        assertThatThrownBy(() -> page(store(7, new ArrayList<>()), otherKey, 2, i -> true))
                .isInstanceOf(PageTokenRefused.class);
    }
}
