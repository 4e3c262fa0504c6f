#!/usr/bin/env python3
"""Build lexicons/given_names.tsv, the first-name gender list of the extractor.

Source: the English list (names/en.js) of the npm package
gender-detection-from-name 1.11.5 (MIT, (c) 2019 Davide Violante), a map of
US first names to 'male'/'female', plus the accented spellings of the
package's other lists (names/es.js, it.js, de.js, fr.js: "José", "François",
"Zoë") whose accent-free form the English list gives the same gender (those
lists alone are noisier: fr.js calls "Adèle" male). Names are read as Unicode
letters (an ASCII-only pattern dropped every accented one). Kept: names of two letters or more that
are not also common English words (a lowercase entry of Debian's wamerican
word list, /usr/share/dict/words: "will", "may", "tea") nor places, days or
months (a name list that says "Carolina" or "Tuesday" is a woman would make
"South Carolina" a person). The hand-made male/female entries of cues.tsv
stay there and win over this list.

  npm pack gender-detection-from-name@1.11.5 && tar xzf gender-detection-from-name-1.11.5.tgz
  apt-get install wamerican
  python3 scripts/build-given-names.py package/names/en.js lexicons/actors.tsv \
      package/names/es.js package/names/it.js package/names/de.js package/names/fr.js \
      > lexicons/given_names.tsv
"""
import re
import sys
import unicodedata


def fold(name):
    """The name without its accents: "josé" -> "jose"."""
    return "".join(c for c in unicodedata.normalize("NFD", name)
                   if unicodedata.category(c) != "Mn")

NOT_NAMES = set("""
monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december
alabama alaska arizona arkansas california colorado connecticut delaware florida
georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine
maryland massachusetts michigan minnesota mississippi missouri montana nebraska
nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon
pennsylvania rhode tennessee texas utah vermont virginia washington wisconsin
wyoming america american europe asia africa london paris berlin moscow beijing
brooklyn manhattan harlem boston chicago dallas houston denver phoenix atlanta
detroit orlando miami seattle austin columbia carolina dixie liberty justice
general major king queen prince princess duke earl baron bishop judge pope
president senator governor mayor sheriff colonel captain sergeant chief
christmas easter republican democrat democratic caesar palace trump
""".split())


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: build-given-names.py EN_JS ACTORS_TSV [OTHER_JS...] > given_names.tsv")
    words = set()
    with open("/usr/share/dict/words", encoding="utf-8") as f:
        for w in f:
            w = w.strip()
            if w and w[0].islower():
                words.add(w.lower())
    places = set()
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if len(col) > 2 and not line.startswith("#") and col[1] != "person":
                for w in col[2].split():
                    places.add(w.lower())
    names = {}
    # letters of any script, lower case: [a-z] alone cut "josé" out
    pat = re.compile(r"\['([^\W\d_]+)',\s*'(male|female)'\]")
    with open(sys.argv[1], encoding="utf-8") as f:
        for m in pat.finditer(f.read()):
            n, g = m.group(1), m.group(2)
            if len(n) < 2 or n in words or n in places or n in NOT_NAMES:
                continue
            names[n] = g
    english = dict(names)
    for other in sys.argv[3:]:
        with open(other, encoding="utf-8") as f:
            for m in pat.finditer(f.read()):
                n, g = m.group(1), m.group(2)
                if n.isascii() or n in names:
                    continue
                if english.get(fold(n)) == g:
                    names[n] = g
    print("# First names and the gender they usually name (male/female), for he/she.")
    print("# Built by scripts/build-given-names.py from the npm package")
    print("# gender-detection-from-name 1.11.5 (MIT, (c) 2019 Davide Violante), less")
    print("# common English words (Debian wamerican), places, days and months, plus")
    print("# the accented spellings of its es/it/de/fr lists whose accent-free form")
    print("# the English list gives the same gender.")
    print("# Read by dm_cues_load through the 'include' line of cues.tsv.")
    for n in sorted(names):
        print("%s\t%s" % (names[n], n))


if __name__ == "__main__":
    main()
