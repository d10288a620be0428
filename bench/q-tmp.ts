import { firstFitDecreasing, packWithPlanner, vectorBinPackingLowerBound } from '../src/consolidation/vector-packing.js';
import { randomInt, seededRandom } from './lib/prng.js';
const classes: [string,(r:()=>number,n:number)=>number[]][] = [
 ['U[100,400]', (r,n)=>Array.from({length:n},()=>randomInt(r,100,400))],
 ['U[10,400]', (r,n)=>Array.from({length:n},()=>randomInt(r,10,400))],
 ['U[200,500]', (r,n)=>Array.from({length:n},()=>randomInt(r,200,500))],
 ['anti', (r,n)=>{const f=randomInt(r,100,400);return [f,...Array.from({length:n-1},()=>500-f+randomInt(r,-50,50))]}],
];
const sizes = (process.env.SIZES ?? '100,250').split(',').map(Number);
const seedsBy: Record<number,number> = {100:20,250:10,500:5,1000:3};
let tot=0,cnt=0; const t0=performance.now();
for (const [name,draw] of classes) for (const dims of [2,3]) for (const n of sizes) {
  const bin = {vcpus:1000,memoryMiB:1000,diskGiB:dims===3?1000:0};
  let s=0; for (let seed=1; seed<=seedsBy[n]!; seed++){ const r=seededRandom(seed*1_000_003+n*7+dims);
   const items=Array.from({length:n},()=>{const x=draw(r,dims);return {vcpus:x[0]!,memoryMiB:x[1]!,diskGiB:x[2]??0}});
   s+=packWithPlanner(items,bin).length/vectorBinPackingLowerBound(items,bin);}
  const m=s/seedsBy[n]!; tot+=m;cnt++; console.log(name,dims,n,m.toFixed(3));
}
console.log('mean',(tot/cnt).toFixed(4),'time',((performance.now()-t0)/1000).toFixed(1));
