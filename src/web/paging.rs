//! Paging a list already in memory (a computed programme, the posture): which page was asked
//! for, clamped to the pages there are, and the slice of lines it shows.

pub struct Pages {
    pub page: usize,
    pub pages: usize,
    pub total: usize,
}

impl Pages {
    /// Page `asked` (1 when missing or out of range) of `total` lines, `size` a page.
    pub fn of_size(total: usize, asked: &str, size: usize) -> Self {
        let pages = total.div_ceil(size).max(1);
        let page = asked.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
        Self { page, pages, total }
    }

    pub fn slice_of<T>(&self, items: Vec<T>, size: usize) -> Vec<T> {
        items
            .into_iter()
            .skip((self.page - 1) * size)
            .take(size)
            .collect()
    }

    pub fn previous(&self) -> usize {
        self.page.saturating_sub(1)
    }

    pub fn next(&self) -> usize {
        if self.page < self.pages {
            self.page + 1
        } else {
            0
        }
    }
}
