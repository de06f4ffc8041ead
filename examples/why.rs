//! Why a sentence reads as it does: `cargo run --example why -- "sentence" …` prints each
//! sentence's reading (its concepts, clause by clause) and its stance on its own, for working
//! on the lexicon and the verdict. A developer's tool; the page-level verdict is `inspect`'s.

use policywatch::extract::lexicon::Lexicon;
use policywatch::extract::reading::read;
use policywatch::extract::verdict::sentence_stance;

fn main() {
    let lexicon = Lexicon::builtin();
    for sentence in std::env::args().skip(1) {
        println!("{sentence}");
        println!("  stance: {:?}", sentence_stance(lexicon, &sentence));
        println!("  {:#?}", read(lexicon, &sentence));
    }
}
