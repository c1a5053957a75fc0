"""The instruction-level profile (mycelium_bench.hot_instructions) on a fixed VM log and fixed perf samples."""
import pytest

from mycelium_bench import hot_instructions

# The shape of HotSpot's PrintAssembly without hsdis, inside the VM's XML log (-XX:+LogVMOutput): escaped text, a
# tag line, the program's own section of another method, and code split across lines around an annotation.
VM_LOG = """<?xml version='1.0' encoding='UTF-8'?>
<hotspot_log version='160 1' process='1'>
<tty>
Compiled method (c2)    6034 1398   !   4       pkg.Ring::offer (346 bytes)
 total in heap  [0x0000000000000f00,0x0000000000002000] = 4352
 main code      [0x0000000000001000,0x000000000000100b] = 11
[Entry Point]
  # {method} {0x00007f145f4b6430} &apos;offer&apos; &apos;(ILjava/nio/ByteBuffer;)I&apos; in &apos;pkg/Ring&apos;
  0x0000000000001000: f045 0fb1 | 410c
<writer thread='7'/>
  0x0000000000001006: ;   {other}
                      ;*invokevirtual base {reexecute=0 rethrow=0 return_oop=1}
                      ; - pkg.Ring::&lt;init&gt;@3 (line 7)
                      ; - pkg.Ring::offer@9 (line 12)
  0x0000000000001006: 410f 94c1 | c3
</tty>
"""

PERF = """
       7      1006
       7      1006
       7      1006
       7      1006
       7      1006
       7      100a
       8      1006
       7      2000
garbage line
"""


def _sections():
    return hot_instructions.parse_assembly(VM_LOG.splitlines(True))


def test_parses_a_compiled_method_its_bytes_and_its_innermost_scopes():
    (section,) = _sections()
    assert (section.compiler, section.compile_id, section.method) == ("c2", 1398, "pkg.Ring::offer")
    assert (section.start, section.end) == (0x1000, 0x100B)
    assert bytes(section.code) == bytes.fromhex("f0450fb1410c410f94c1c3")
    assert section.scopes == [(0x1006, "pkg.Ring::<init>@3 (line 7)")]
    assert section.scope_at(0x1000) == ""
    assert section.scope_at(0x100A) == "pkg.Ring::<init>@3 (line 7)"


def test_reads_perf_samples_and_skips_what_is_not_one():
    samples = hot_instructions.parse_samples(PERF.splitlines())
    assert len(samples) == 8
    assert samples[0] == (7, 0x1006)


def test_charges_a_sample_to_the_instruction_before_it_for_the_thread_with_most_samples():
    text = hot_instructions.report(_sections(), hot_instructions.parse_samples(PERF.splitlines()))
    assert text.startswith("thread 7: 6 samples inside the method (other threads: 8: 1)\n")
    assert "pkg.Ring::offer (c2, compile id 1398, 11 bytes): 6 samples" in text
    assert ("| 5 | 83.3% | +0x6 | `lock cmpxchg DWORD PTR [r9+0xc],r8d` | `sete r9b` | pkg.Ring::<init>@3 (line 7) |"
            in text)
    assert "| 1 | 16.7% | +0xa | `sete r9b` | `ret` |" in text


def test_says_when_no_sample_fell_inside_the_method():
    text = hot_instructions.report(_sections(), [(7, 0x2000)])
    assert text == "no sample fell inside the compiled code of pkg.Ring::offer\n"


def test_refuses_a_log_whose_code_lines_leave_a_gap():
    # What the program's own output did to the code's lines when both went to one stream.
    cut = VM_LOG.replace("  0x0000000000001006: 410f", "  0x0000000000001008: 410f")
    with pytest.raises(ValueError, match="code at 0x1008 leaves a gap after 0x1006 in pkg.Ring::offer"):
        hot_instructions.parse_assembly(cut.splitlines(True))


def test_refuses_a_method_printed_without_its_code_bytes():
    # With hsdis installed the code is printed as instructions, not bytes: nothing here to decode.
    decoded = "\n".join(line for line in VM_LOG.splitlines() if not line.startswith("  0x"))
    with pytest.raises(ValueError, match="no code bytes at its main code's start"):
        hot_instructions.parse_assembly(decoded.splitlines(True))
