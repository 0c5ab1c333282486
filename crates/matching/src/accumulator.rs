//! Per-query scratch: for each listing reached through the posting lists,
//! the part of its text similarity known from the lists visited and
//! whether it shares a tag. Kept between queries (sized to the slots) so
//! that a query allocates nothing; reset as it is drained.

#[derive(Debug, Default)]
pub(crate) struct Accumulator {
    /// Slot by slot: (text similarity so far, shares a tag). One vector,
    /// so that a listing is one memory read.
    cells: Vec<(f32, bool)>,
    touched: Vec<u32>,
}

impl Accumulator {
    pub(crate) fn prepare(&mut self, slots: usize) {
        if self.cells.len() < slots {
            self.cells.resize(slots, (0.0, false));
        }
    }

    pub(crate) fn add_text(&mut self, slot: u32, amount: f32) {
        // Only positive amounts: a touched listing is never back at zero.
        if amount <= 0.0 {
            return;
        }
        if let Some(cell) = self.cells.get_mut(slot as usize) {
            if cell.0 == 0.0 && !cell.1 {
                self.touched.push(slot);
            }
            cell.0 += amount;
        }
    }

    pub(crate) fn add_tag(&mut self, slot: u32) {
        if let Some(cell) = self.cells.get_mut(slot as usize) {
            if cell.0 == 0.0 && !cell.1 {
                self.touched.push(slot);
            }
            cell.1 = true;
        }
    }

    /// Each listing reached once: (slot, known text similarity, shares a
    /// tag). Leaves the scratch clean for the next query.
    pub(crate) fn drain(&mut self) -> Vec<(u32, f32, bool)> {
        let mut out = Vec::with_capacity(self.touched.len());
        for slot in self.touched.drain(..) {
            if let Some(cell) = self.cells.get_mut(slot as usize) {
                out.push((slot, cell.0, cell.1));
                *cell = (0.0, false);
            }
        }
        out
    }
}
