// Command fyneprobe is the yardstick of the measured window test: a minimal
// Fyne window, as large as corescope's, that redraws an image and a label 10
// times a second, as corescope's window does at most while a run goes.
package main

import (
	"fmt"
	"image"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := fyneapp.NewWithID("io.github.corescope.fyneprobe")
	w := a.NewWindow("fyneprobe")
	img := image.NewRGBA(image.Rect(0, 0, 256, 64))
	pic := canvas.NewImageFromImage(img)
	pic.ScaleMode = canvas.ImageScalePixels
	label := widget.NewLabel("")
	w.SetContent(container.NewBorder(nil, label, nil, nil, pic))
	w.Resize(fyne.NewSize(1280, 800))
	go func() {
		for n := 0; ; n++ {
			time.Sleep(100 * time.Millisecond)
			fyne.Do(func() {
				for i := range img.Pix {
					img.Pix[i] = byte(n + i)
				}
				pic.Refresh()
				label.SetText(fmt.Sprintf("frame %d", n))
			})
		}
	}()
	w.ShowAndRun()
}
