package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressBar draws the progress of a long command on one line of standard error: the stage, a
// bar, the percentage, how many of how many, and the seconds the stage has taken ("seeding
// [#######     ]  23% 1840/8000  2.1s"). It redraws at most ten times a second (and always at
// the end of a stage); each stage gets a line of its own. It is the one bar of every command
// (seed, import, match, sufficiency), safe to call from several goroutines.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer // nil: draw nothing (--quiet)
	label string    // the stage being drawn
	began time.Time // when the stage began
	drawn time.Time // when the line was last drawn
	width int       // the length of the line as last drawn; 0: none
	now   func() time.Time
}

// newProgressBar returns a bar drawn on w (nil: nowhere) whose first stage is label.
func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label, now: time.Now}
}

// update shows done of total in the current stage (a catalogue.Batch's Progress).
func (p *progressBar) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.label, done, total)
}

// stage shows done of total in the stage named (total 0: not known), ending the line of the
// stage before.
func (p *progressBar) stage(label string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(label, done, total)
}

func (p *progressBar) draw(label string, done, total int) {
	if p.w == nil {
		return
	}
	now := p.now()
	switch {
	case label != p.label || p.began.IsZero():
		p.end()
		p.label, p.began = label, now
	case now.Sub(p.drawn) < 100*time.Millisecond && (total <= 0 || done < total):
		return
	}
	p.drawn = now
	line := fmt.Sprintf("%-20s", label)
	if total > 0 {
		const width = 30
		done = min(max(done, 0), total)
		filled := width * done / total
		line += fmt.Sprintf(" [%s%s] %3d%% %d/%d", strings.Repeat("#", filled), strings.Repeat(" ", width-filled),
			100*done/total, done, total)
	}
	line += fmt.Sprintf("  %.1fs", now.Sub(p.began).Seconds())
	fmt.Fprintf(p.w, "\r%-*s", p.width, line) // pad over a longer line drawn before
	p.width = len(line)
}

// done ends the bar's line, if it drew one.
func (p *progressBar) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.end()
}

func (p *progressBar) end() {
	if p.w != nil && p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
}
